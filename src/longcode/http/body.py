"""Reading request bodies as Flowroute clients send them.

The official SDKs often send JSON with no `Content-Type` at all, or as
`application/vnd.api+json; charset=utf-8`, so a body is parsed as JSON whatever its declared
type. The size cap is enforced before parsing by `guards.BodyLimit`.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request

from longcode.errors import BadRequest

# JSON may escape UTF-16 surrogates (`\ud83d`); a pair becomes one character, a lone one stays a
# surrogate that no database can store. It may also escape NUL (`\u0000`), which PostgreSQL text
# cannot hold and no message needs. Only bodies with such an escape are walked.
_SUSPECT_ESCAPE = re.compile(rb"\\u(?:[dD][89a-fA-F]|0000)")


async def read_json(request: Request) -> Any:
    raw = await request.body()
    return parse_json(raw)


def parse_json(raw: bytes) -> Any:
    if not raw.strip():
        raise BadRequest("The request body is empty; a JSON document was expected.", code="empty_body")
    try:
        document = json.loads(raw)
    except UnicodeDecodeError:
        raise BadRequest("The request body is not UTF-8 text.", code="malformed_json") from None
    except json.JSONDecodeError as exc:
        raise BadRequest(
            f"The request body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}.",
            code="malformed_json",
        ) from None
    if _SUSPECT_ESCAPE.search(raw):
        _refuse_unstorable_text(document)
    return document


def _refuse_unstorable_text(node: Any) -> None:
    if isinstance(node, str):
        if "\x00" in node:
            raise BadRequest(
                "The request body contains a NUL character (\\u0000), which no field accepts.",
                code="malformed_json",
            )
        try:
            node.encode("utf-8")
        except UnicodeEncodeError:
            raise BadRequest(
                "The request body contains a lone UTF-16 surrogate escape (such as \\ud83d "
                "without its pair); it is not valid Unicode text.",
                code="malformed_json",
            ) from None
    elif isinstance(node, dict):
        for key, value in node.items():
            _refuse_unstorable_text(key)
            _refuse_unstorable_text(value)
    elif isinstance(node, list):
        for item in node:
            _refuse_unstorable_text(item)


def require_object(document: Any, what: str = "The request body") -> dict[str, Any]:
    if not isinstance(document, dict):
        raise BadRequest(f"{what} must be a JSON object.", code="malformed_json")
    return document


def jsonapi_attributes(document: Any) -> dict[str, Any]:
    """The attributes of a JSON:API document (`data.attributes`), or the compact body itself."""
    body = require_object(document)
    data = body.get("data")
    if data is None:
        return body
    data = require_object(data, "'data'")
    attributes = data.get("attributes", {})
    return require_object(attributes, "'data.attributes'")


FORM = "application/x-www-form-urlencoded"


def parse_form(raw: bytes) -> dict[str, Any]:
    """Form fields; a field given more than once becomes a list (`numbers=a&numbers=b`)."""
    try:
        pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        raise BadRequest("The request body is not UTF-8 text.", code="malformed_form") from None
    fields: dict[str, Any] = {}
    for key, value in pairs:
        if "\x00" in key or "\x00" in value:
            raise BadRequest("The form contains a NUL character.", code="malformed_form")
        if key in fields:
            existing = fields[key]
            fields[key] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            fields[key] = value
    return fields


async def read_fields(request: Request) -> dict[str, Any]:
    """The fields of a body sent as JSON (compact or JSON:API `data.attributes`) or as a form:
    the official Python SDK posts some bodies form-encoded (CNAM values, portability checks)."""
    raw = await request.body()
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == FORM or (raw.strip() and raw.lstrip()[:1] not in (b"{", b"[", b'"')):
        return parse_form(raw)
    return jsonapi_attributes(parse_json(raw))
