"""The one translator from errors to Flowroute error bodies, for every route and every failure.

`{"errors": [{"id", "status", "title", "detail", "code", "source"?}]}` with the right status and
`application/vnd.api+json`; `id` is a fresh UUID a user can quote to an operator, and appears in
the log next to the cause. `code` and `source` are longcode additions (JSON:API members) that
Flowroute clients ignore.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from longcode.errors import InvalidFields, LongcodeError
from longcode.http.jsonapi import JsonApiResponse

log = logging.getLogger("longcode.http")

_STATUS_TITLES = {
    400: ("bad_request", "Bad Request"),
    401: ("unauthorized", "Unauthorized"),
    403: ("forbidden", "Forbidden"),
    404: ("not_found", "Not Found"),
    405: ("method_not_allowed", "Method Not Allowed"),
    413: ("payload_too_large", "Payload Too Large"),
    415: ("unsupported_media_type", "Unsupported Media Type"),
    422: ("invalid", "Unprocessable Entity"),
    429: ("rate_limited", "Too Many Requests"),
}


def error_document(
    status: int, code: str, title: str, detail: str, pointer: str | None = None
) -> dict[str, Any]:
    error: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "status": status,
        "title": title,
        "detail": detail,
        "code": code,
    }
    if pointer is not None:
        error["source"] = {"pointer": pointer}
    return {"errors": [error]}


def error_response(exc: LongcodeError, headers: dict[str, str] | None = None) -> Response:
    problems = exc.problems if isinstance(exc, InvalidFields) else [exc]
    document = {
        "errors": [
            error_document(p.status, p.code, p.title, p.detail, p.pointer)["errors"][0] for p in problems
        ]
    }
    extra = dict(headers or {})
    if exc.status == 401:
        extra.setdefault("WWW-Authenticate", 'Basic realm="longcode"')
    return JsonApiResponse(document, status_code=exc.status, headers=extra)


async def _longcode_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, LongcodeError)
    return error_response(exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code, title = _STATUS_TITLES.get(exc.status_code, ("error", "Error"))
    if exc.status_code == 404:
        detail = f"No such endpoint: {request.method} {request.url.path}."
    elif exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}."
    else:
        detail = str(exc.detail)
    document = error_document(exc.status_code, code, title, detail)
    return JsonApiResponse(document, status_code=exc.status_code, headers=exc.headers)


async def _validation_error(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
    location = _location(first.get("loc", ()))
    detail = f"{location}: {first.get('msg', 'invalid')}." if location else str(first.get("msg"))
    document = error_document(422, "invalid", "Unprocessable Entity", detail, location or None)
    return JsonApiResponse(document, status_code=422)


def _location(loc: Sequence[Any]) -> str:
    parts = [str(part) for part in loc if part not in ("body", "query", "path", "header")]
    return ".".join(parts)


def internal_error_response(exc: BaseException) -> Response:
    """A 500 that says nothing of the cause to the client, and logs it with the error id."""
    document = error_document(
        500, "internal", "Internal Server Error", "Something went wrong on our side; quote the id."
    )
    log.error("unhandled error %s", document["errors"][0]["id"], exc_info=exc)
    return JsonApiResponse(document, status_code=500)


async def _unexpected_error(_: Request, exc: Exception) -> Response:
    return internal_error_response(exc)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(LongcodeError, _longcode_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected_error)
