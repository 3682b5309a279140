"""Callback and media URLs: absolute http(s) only, each refusal naming the field."""

from __future__ import annotations

import pytest

from longcode.errors import Invalid
from longcode.urls import require_http_url


@pytest.mark.parametrize(
    "url", ["http://example.com", "https://example.com:8443/a?b=c", "HTTPS://EXAMPLE.COM/x"]
)
def test_require_http_url_accepts_absolute_http_urls(url):
    assert require_http_url(f"  {url} ", field="callback_url") == url


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("ftp://example.com", "absolute http"),
        ("//example.com/x", "absolute http"),
        ("http://exa mple.com", "spaces"),
        ("http://example.com:99999/", "not a valid URL"),
        ("https://example.com/" + "a" * 2048, "longer than 2048"),
        (None, "URL string"),
    ],
)
def test_require_http_url_refuses_with_the_field_named(url, fragment):
    with pytest.raises(Invalid) as caught:
        require_http_url(url, field="callback_url")
    assert caught.value.code == "invalid_url"
    assert fragment in caught.value.detail and "'callback_url'" in caught.value.detail
