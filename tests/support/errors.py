"""Asserting the error contract: status, `code` and `detail`, in the Flowroute shape."""

from __future__ import annotations

import httpx


def assert_error(response: httpx.Response, status: int, code: str, detail_contains: str = "") -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/vnd.api+json")
    body = response.json()
    assert list(body) == ["errors"]
    (error,) = body["errors"]
    assert error["status"] == status
    assert error["code"] == code, error
    assert isinstance(error["id"], str) and len(error["id"]) == 36
    assert error["title"]
    assert detail_contains in error["detail"], error["detail"]
    return error
