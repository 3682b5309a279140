"""The error responses every route documents in longcode's own OpenAPI document."""

from __future__ import annotations

from typing import Any

_ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "status", "title", "detail"],
                "properties": {
                    "id": {"type": "string"},
                    "status": {"type": "integer"},
                    "title": {"type": "string"},
                    "detail": {"type": "string"},
                    "code": {"type": "string"},
                },
            },
        }
    },
}


def _error(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/vnd.api+json": {"schema": _ERROR_SCHEMA}},
    }


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _error("Malformed request (not JSON, empty body)"),
    401: _error("Missing or wrong credentials"),
    403: _error("Not allowed (HTTPS required, number not yours or not enabled)"),
    404: _error("No such resource on your account"),
    413: _error("Request body too large"),
    422: _error("A value that cannot be accepted; `detail` names it"),
}
