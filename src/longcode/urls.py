"""Absolute http(s) URLs, as callback URLs and media URLs must be."""

from __future__ import annotations

from urllib.parse import urlsplit

from longcode.errors import Invalid

MAX_URL_LENGTH = 2048


def require_http_url(value: object, *, field: str) -> str:
    """`value` if it is an absolute http or https URL with a host, else `Invalid` naming `field`."""
    if not isinstance(value, str) or not value.strip():
        raise Invalid(f"'{field}' must be an absolute http(s) URL string.", code="invalid_url", pointer=field)
    url = value.strip()
    if len(url) > MAX_URL_LENGTH:
        raise Invalid(
            f"'{field}' is longer than {MAX_URL_LENGTH} characters.",
            code="invalid_url",
            pointer=field,
        )
    if any(ch.isspace() for ch in url):
        raise Invalid(f"'{field}' must not contain spaces: {url!r}.", code="invalid_url", pointer=field)
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises on a malformed port
    except ValueError:
        raise Invalid(f"'{field}' is not a valid URL: {url!r}.", code="invalid_url", pointer=field) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise Invalid(
            f"'{field}' must be an absolute http:// or https:// URL: got {url!r}.",
            code="invalid_url",
            pointer=field,
        )
    return url
