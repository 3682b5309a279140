"""Request guards: HTTPS required off loopback, trusted proxies, the body cap, unknown routes."""

from __future__ import annotations

import httpx
import pytest

from longcode.app import create_app
from longcode.config import ExplicitSettings
from tests.factories import basic
from tests.support.errors import assert_error


async def client_for(settings, *, client_addr: str = "203.0.113.9", scheme: str = "http"):
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app, client=(client_addr, 5555))
    return app, httpx.AsyncClient(transport=transport, base_url=f"{scheme}://api.example.com")


def public_settings(settings, **overrides) -> ExplicitSettings:
    values = settings.model_dump() | {"host": "0.0.0.0"} | overrides
    return ExplicitSettings(**values)


async def test_plain_http_off_loopback_is_refused_with_403(settings):
    app, http = await client_for(public_settings(settings))
    async with app.router.lifespan_context(app), http:
        response = await http.get("/v2.1/messages")
    assert_error(response, 403, "https_required", "HTTPS required")


async def test_https_off_loopback_is_served(settings):
    app, http = await client_for(public_settings(settings), scheme="https")
    async with app.router.lifespan_context(app), http:
        response = await http.get("/v2.1/messages")
    assert_error(response, 401, "credentials_missing")


async def test_allow_http_overrides_the_refusal(settings):
    app, http = await client_for(public_settings(settings, allow_http=True))
    async with app.router.lifespan_context(app), http:
        response = await http.get("/v2.1/messages")
    assert response.status_code == 401


@pytest.mark.parametrize(("client_addr", "expected"), [("10.0.0.5", 401), ("203.0.113.9", 403)])
async def test_forwarded_proto_is_believed_only_from_trusted_proxies(settings, client_addr, expected):
    app, http = await client_for(
        public_settings(settings, trusted_proxies="10.0.0.0/8"), client_addr=client_addr
    )
    async with app.router.lifespan_context(app), http:
        response = await http.get("/v2.1/messages", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == expected


async def test_links_use_the_forwarded_scheme(settings):
    app, http = await client_for(
        public_settings(settings, trusted_proxies="10.0.0.5"), client_addr="10.0.0.5"
    )
    async with app.router.lifespan_context(app), http:
        from tests.factories import make_account

        made = await make_account(app)
        body = {"to": "12065550199", "from": made.numbers[0], "body": "x"}
        response = await http.post(
            "/v2.1/messages", json=body, headers={**basic(made), "X-Forwarded-Proto": "https"}
        )
    assert response.json()["data"]["links"]["self"].startswith("https://api.example.com/v2.1/messages/")


async def test_oversized_body_is_413(client, account):
    response = await client.post("/v2.1/messages", content=b"x" * (256 * 1024 + 1), headers=basic(account))
    assert_error(response, 413, "body_too_large", "262144 bytes")


async def test_oversized_streamed_body_without_length_is_413(client, account):
    async def chunks():
        for _ in range(300):
            yield b"x" * 1024

    response = await client.post("/v2.1/messages", content=chunks(), headers=basic(account))
    assert_error(response, 413, "body_too_large")


async def test_unknown_route_is_a_flowroute_404(client):
    assert_error(await client.get("/v9/nothing"), 404, "not_found", "No such endpoint: GET /v9/nothing")


async def test_wrong_method_is_a_flowroute_405(client):
    assert_error(await client.patch("/v2.1/messages"), 405, "method_not_allowed", "PATCH")


async def test_unexpected_failure_is_500_without_a_trace(settings):
    app = create_app(settings)

    async def boom() -> None:
        raise RuntimeError("secret internals")

    app.add_api_route("/boom", boom)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://t") as http,
    ):
        response = await http.get("/boom")
    error = assert_error(response, 500, "internal", "quote the id")
    assert "secret internals" not in response.text and "Traceback" not in response.text
    assert error["id"]


async def test_health_needs_no_credentials(client):
    response = await client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"


async def test_openapi_document_lists_the_api_with_its_errors(client):
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    send = paths["/v2.1/messages"]["post"]
    assert send["operationId"] == "send_message"
    assert "application/vnd.api+json" in send["requestBody"]["content"]
    assert {"401", "403", "404", "422"} <= set(send["responses"])
    assert "/v2/numbers/{number_id}/relationships/{callback_type}" in paths


async def test_framework_validation_errors_become_flowroute_422(settings):
    """A route with typed parameters (none of today's, but any future one) keeps the contract."""
    app = create_app(settings)

    async def typed(count: int) -> dict:
        return {"count": count}

    app.add_api_route("/typed", typed)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://t") as http,
    ):
        response = await http.get("/typed", params={"count": "many"})
    error = assert_error(response, 422, "invalid", "count")
    assert error["source"] == {"pointer": "count"}
