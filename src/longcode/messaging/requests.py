"""Parsing send requests: the JSON:API and compact bodies of v2.1, the flat body of v2.

Each rule has its own error naming the field, so a developer knows what to fix.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

from longcode.config import Settings
from longcode.errors import Invalid
from longcode.http.body import require_object
from longcode.phone import parse_nanp
from longcode.types import E164
from longcode.urls import require_http_url


@dataclass(frozen=True, slots=True)
class SendRequest:
    to: E164
    from_: E164
    body: str | None
    is_mms: bool
    media_urls: tuple[str, ...]
    dlr_callback: str | None

    def fingerprint(self, api_version: str) -> str:
        """Equal for requests that mean the same message (for `Idempotency-Key`)."""
        canonical = json.dumps([api_version, asdict(self)], sort_keys=True, default=list)
        return hashlib.sha256(canonical.encode()).hexdigest()


def parse_v21(document: Any, settings: Settings) -> SendRequest:
    """A v2.1 send body: `{"data": {"type": "message", "attributes": {...}}}` or compact."""
    body = require_object(document)
    if "data" in body:
        data = require_object(body["data"], "'data'")
        kind = data.get("type", "message")
        if kind != "message":
            raise Invalid(
                f"'data.type' must be \"message\": got {kind!r}.",
                code="invalid_type",
                pointer="data.type",
            )
        attributes = require_object(data.get("attributes"), "'data.attributes'")
    else:
        attributes = body
    return _parse_attributes(attributes, settings, allow_mms=True)


def parse_v2(document: Any, settings: Settings) -> SendRequest:
    """A legacy v2 body: flat `to`, `from`, `body` (or `content`, as the v2 SDKs send)."""
    attributes = dict(require_object(document))
    if "body" not in attributes and "content" in attributes:
        attributes["body"] = attributes["content"]
    if attributes.get("media_urls") or _truthy(attributes.get("is_mms")):
        raise Invalid(
            "MMS is not available on /v2/messages; send it with POST /v2.1/messages.",
            code="mms_not_supported",
            pointer="media_urls",
        )
    return _parse_attributes(attributes, settings, allow_mms=False)


def _truthy(value: object) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _parse_attributes(attrs: dict[str, Any], settings: Settings, *, allow_mms: bool) -> SendRequest:
    for name in ("to", "from"):
        if attrs.get(name) in (None, ""):
            raise Invalid(f"'{name}' is required.", code=f"missing_{name}", pointer=name)
    to = parse_nanp(attrs["to"], field="to")
    from_ = parse_nanp(attrs["from"], field="from")
    media_urls = _media_urls(attrs.get("media_urls"), settings) if allow_mms else ()
    is_mms = _is_mms(attrs.get("is_mms")) or bool(media_urls)
    body = _body(attrs.get("body"), settings, is_mms=is_mms, has_media=bool(media_urls))
    dlr_callback = attrs.get("dlr_callback")
    if dlr_callback is not None and dlr_callback != "":
        dlr_callback = require_http_url(dlr_callback, field="dlr_callback")
    else:
        dlr_callback = None
    return SendRequest(to, from_, body, is_mms, media_urls, dlr_callback)


def _is_mms(value: object) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise Invalid(
        f'\'is_mms\' must be true or false (a boolean or the strings "true"/"false"): got {value!r}.',
        code="invalid_is_mms",
        pointer="is_mms",
    )


def _media_urls(value: object, settings: Settings) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise Invalid("'media_urls' must be a list of URLs.", code="invalid_media_urls", pointer="media_urls")
    if len(value) > settings.max_media_urls:
        raise Invalid(
            f"'media_urls' holds {len(value)} URLs; at most {settings.max_media_urls} are allowed.",
            code="too_many_media_urls",
            pointer="media_urls",
        )
    return tuple(require_http_url(url, field=f"media_urls[{index}]") for index, url in enumerate(value))


def _body(value: object, settings: Settings, *, is_mms: bool, has_media: bool) -> str | None:
    if value is not None and not isinstance(value, str):
        raise Invalid("'body' must be a string.", code="invalid_body", pointer="body")
    if not value:
        if is_mms and has_media:
            return None
        if is_mms:
            raise Invalid(
                "An MMS needs 'media_urls', a 'body', or both.",
                code="missing_content",
                pointer="body",
            )
        raise Invalid("'body' is required and must not be empty.", code="missing_body", pointer="body")
    limit = settings.max_mms_body_chars if is_mms else settings.max_sms_body_chars
    if len(value) > limit:
        kind = "an MMS" if is_mms else "an SMS"
        raise Invalid(
            f"'body' is {len(value)} characters; {kind} body may have at most {limit}.",
            code="body_too_long",
            pointer="body",
        )
    return value
