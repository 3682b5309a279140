"""The v1 HMAC-SHA1 signature, on REFERENCE.md's worked examples and each SDK's canonical form."""

from __future__ import annotations

import hashlib

from longcode.http.v1_auth import canonical_messages, parse_timestamp, sign

SECRET = "594d7111c8916b1d94e5f189536ed971"


def test_worked_example_get_with_query():
    messages = canonical_messages(
        timestamp="2015-09-05T21:29:22Z",
        method="GET",
        body=b"",
        scheme="https",
        host="api.flowroute.com",
        path="/v1/available-tns/tns/",
        raw_query="npa=206&limit=2&nxx=743",
    )
    expected = "2015-09-05T21:29:22Z\nGET\n\nhttps://api.flowroute.com/v1/available-tns/tns/\nlimit=2&npa=206&nxx=743"
    assert expected in messages
    assert sign(SECRET, expected) == "fd3acce6c3540b68933f25e1b962f354fdab7baf"


def test_worked_example_put_with_body():
    body = b'{"type": "PSTN", "value": "16476998778"}'
    assert hashlib.md5(body).hexdigest() == "b67b3ed9cc12004e36f24db63cf56145"
    messages = canonical_messages(
        timestamp="2015-09-05T21:29:22Z",
        method="PUT",
        body=body,
        scheme="https",
        host="api.flowroute.com",
        path="/v1/routes/PSTNroute1",
        raw_query="",
    )
    signatures = {sign(SECRET, message) for message in messages}
    assert "5951ff5bb17211fde42340693c26f871438c4cf3" in signatures


def test_tolerated_variants():
    messages = canonical_messages(
        timestamp="t", method="get", body=b"", scheme="http", host="h:8080", path="/p", raw_query="b=2&a=1"
    )
    assert "t\nGET\n\nhttp://h:8080/p\na=1&b=2" in messages  # Python and Node: sorted
    assert "t\nGET\n\nhttp://h/p\nb=2&a=1" in messages  # PHP: host without port, unsorted
    assert (
        f"t\nGET\n{hashlib.md5(b'').hexdigest()}\nhttp://h:8080/p\na=1&b=2" in messages
    )  # the docs: md5("")


def test_timestamps_with_and_without_zone():
    assert parse_timestamp("2015-09-05T21:29:22") == parse_timestamp("2015-09-05T21:29:22Z")
    assert parse_timestamp("2015-09-05T23:29:22+02:00") == parse_timestamp("2015-09-05T21:29:22Z")
    assert parse_timestamp("yesterday") is None
