"""The error kinds every domain raises; `http/errors.py` turns them into Flowroute error bodies.

    LongcodeError                    500  internal
    ├── Invalid                      422  invalid       (a value the API cannot accept)
    │   ├── InvalidFields            422  (one `errors` entry per wrong field)
    │   └── BadRequest               400  bad_request   (the request itself is malformed)
    ├── Unauthorized                 401  unauthorized
    ├── PaymentRequired              402  payment_required
    ├── Forbidden                    403  forbidden
    ├── NotFound                     404  not_found
    ├── MethodNotAllowed             405  method_not_allowed
    ├── Conflict                     409  conflict
    ├── PayloadTooLarge              413  payload_too_large
    ├── UnsupportedMediaType         415  unsupported_media_type
    └── RateLimited                  429  rate_limited

Services raise these and never build HTTP responses; the single handler in `http/errors.py`
looks the class up along the MRO, as Starlette's exception middleware does.
"""

from __future__ import annotations

from typing import ClassVar


class LongcodeError(Exception):
    """Base of every error longcode reports to a client.

    `status` is the HTTP status, `code` a stable machine string (tests pin it), `title` the short
    human label Flowroute puts in `errors[].title`, `detail` the sentence that says what was wrong.
    `pointer` names the offending field or parameter where there is one.
    """

    status: ClassVar[int] = 500
    code: ClassVar[str] = "internal"
    title: ClassVar[str] = "Internal Server Error"

    def __init__(self, detail: str, *, code: str | None = None, pointer: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.pointer = pointer
        if code is not None:
            self.code = code  # type: ignore[misc]  # a per-instance refinement of the class code


class Invalid(LongcodeError):
    status = 422
    code = "invalid"
    title = "Unprocessable Entity"


class InvalidFields(Invalid):
    """Several fields wrong at once: each becomes its own entry in `errors`, naming its field."""

    def __init__(self, problems: list[Invalid]) -> None:
        first = problems[0]
        super().__init__("; ".join(p.detail for p in problems), code=first.code, pointer=first.pointer)
        self.problems = problems


class BadRequest(Invalid):
    status = 400
    code = "bad_request"
    title = "Bad Request"


class Unauthorized(LongcodeError):
    status = 401
    code = "unauthorized"
    title = "Unauthorized"


class PaymentRequired(LongcodeError):
    status = 402
    code = "payment_required"
    title = "Payment Required"


class Forbidden(LongcodeError):
    status = 403
    code = "forbidden"
    title = "Forbidden"


class NotFound(LongcodeError):
    status = 404
    code = "not_found"
    title = "Not Found"


class MethodNotAllowed(LongcodeError):
    status = 405
    code = "method_not_allowed"
    title = "Method Not Allowed"


class Conflict(LongcodeError):
    status = 409
    code = "conflict"
    title = "Conflict"


class PayloadTooLarge(LongcodeError):
    status = 413
    code = "payload_too_large"
    title = "Payload Too Large"


class UnsupportedMediaType(LongcodeError):
    status = 415
    code = "unsupported_media_type"
    title = "Unsupported Media Type"


class RateLimited(LongcodeError):
    status = 429
    code = "rate_limited"
    title = "Too Many Requests"
