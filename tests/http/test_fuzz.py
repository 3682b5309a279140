"""Whatever a client sends, the answer is a success or a Flowroute error body: never a 500,
never a stack trace. Property-based: hypothesis generates the bodies and parameters."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from longcode.e911.addresses import FIELDS as E911_FIELDS
from tests.factories import basic

ACCEPTED = {200, 201, 202, 204}
# Text includes lone surrogates and NUL on purpose: JSON can carry them as \\u escapes.
any_text = (
    st.text(max_size=30)
    | st.text(st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), max_size=3)
    | st.sampled_from(["\x00", "a\x00b"])
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
attribute_values = st.one_of(
    json_values,
    st.sampled_from(
        ["12065550199", "+12065550199", "2065550199", "true", "false", "http://example.com/a.png"]
    ),
)
send_attributes = st.fixed_dictionaries(
    {},
    optional=dict.fromkeys(
        ("to", "from", "body", "is_mms", "media_urls", "dlr_callback", "content"), attribute_values
    ),
)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def assert_flowroute_answer(response) -> None:
    assert response.status_code < 500, response.text
    if response.status_code in ACCEPTED:
        return
    body = response.json()
    assert body["errors"]
    for error in body["errors"]:
        assert error["status"] == response.status_code
        assert isinstance(error["detail"], str) and error["detail"]
    assert "Traceback" not in response.text


@FUZZ
@given(attributes=send_attributes, wrap=st.booleans())
async def test_send_message_answers_any_body_cleanly(client, account, attributes, wrap):
    if "from" in attributes and attributes["from"] == "12065550199":
        attributes["from"] = account.numbers[0]
    body = {"data": {"type": "message", "attributes": attributes}} if wrap else attributes
    response = await client.post("/v2.1/messages", content=json.dumps(body), headers=basic(account))
    assert_flowroute_answer(response)


@FUZZ
@given(raw=st.binary(max_size=200))
async def test_send_message_answers_any_bytes_cleanly(client, account, raw):
    for path in ("/v2.1/messages", "/v2/messages"):
        assert_flowroute_answer(await client.post(path, content=raw, headers=basic(account)))


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(["start_date", "end_date", "limit", "offset"]), st.text(max_size=40), max_size=4
    )
)
async def test_list_messages_answers_any_parameters_cleanly(client, account, params):
    query = "&".join(f"{name}={quote(value)}" for name, value in params.items())
    assert_flowroute_answer(await client.get(f"/v2.1/messages?{query}", headers=basic(account)))


@FUZZ
@given(segment=st.text(min_size=1, max_size=40).filter(lambda s: "/" not in s and s not in (".", "..")))
async def test_path_segments_answer_cleanly(client, account, segment):
    for path in (
        f"/v2.1/messages/{quote(segment)}",
        f"/v2/numbers/{quote(segment)}/relationships/sms_callback",
        f"/v2/numbers/{quote(segment)}",
        f"/v2/routes/{quote(segment)}",
        f"/v2/e911s/{quote(segment)}",
        f"/v2/cnams/{quote(segment)}",
    ):
        assert_flowroute_answer(await client.get(path, headers=basic(account)))
    assert_flowroute_answer(await client.post(f"/v2/numbers/{quote(segment)}", headers=basic(account)))


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "starts_with",
                "contains",
                "ends_with",
                "state",
                "rate_center",
                "number_type",
                "max_setup_cost",
                "limit",
                "offset",
                "areacode",
            ]
        ),
        st.text(max_size=14) | st.sampled_from(["206", "1206", "555", "wa", "seattle", "tollfree", "1.5"]),
        max_size=5,
    )
)
async def test_number_searches_answer_any_parameters_cleanly(client, account, params):
    query = "&".join(f"{name}={quote(value)}" for name, value in params.items())
    for path in (
        "/v2/numbers/available",
        "/v2/numbers/available/areacodes",
        "/v2/numbers/available/exchanges",
        "/v2/numbers",
    ):
        assert_flowroute_answer(await client.get(f"{path}?{query}", headers=basic(account)))


number_attributes = st.fixed_dictionaries(
    {},
    optional=dict.fromkeys(
        ("route_type", "value", "alias", "edge_strategy_id", *E911_FIELDS)
        + ("cnam_lookups_enabled", "messaging_enabled", "numbers"),
        attribute_values | st.sampled_from(["host", "uri", "number", "WA", "US", "98101", "Suite"]),
    ),
)


@FUZZ
@given(attributes=number_attributes, wrap=st.booleans())
async def test_number_management_bodies_answer_cleanly(client, account, attributes, wrap):
    body = json.dumps({"data": {"type": "x", "attributes": attributes}} if wrap else attributes)
    for method, path in (
        ("POST", "/v2/routes"),
        ("POST", "/v2/e911s/validate"),
        ("POST", "/v2/e911s"),
        ("POST", "/v2/cnams"),
        ("PATCH", f"/v2/numbers/{account.numbers[0]}"),
        ("POST", "/v2/portorders/portability"),
        ("PATCH", f"/v2/numbers/{account.numbers[0]}/relationships/primary_route"),
    ):
        assert_flowroute_answer(await client.request(method, path, content=body, headers=basic(account)))


@FUZZ
@given(value=json_values)
async def test_set_callback_answers_any_value_cleanly(client, account, value):
    response = await client.put(
        "/v2.1/messages/sms_callback", content=json.dumps({"callback_url": value}), headers=basic(account)
    )
    assert_flowroute_answer(response)


@FUZZ
@given(user=st.text(max_size=70), password=st.text(max_size=40))
async def test_any_basic_credentials_answer_cleanly(client, user, password):
    token = base64.b64encode(f"{user}:{password}".encode("utf-8", "surrogatepass")).decode()
    response = await client.get(
        "/v2.1/messages?start_date=2026-01-01", headers={"Authorization": f"Basic {token}"}
    )
    assert response.status_code == 401
    assert_flowroute_answer(response)
