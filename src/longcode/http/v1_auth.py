"""The v1 Numbers API's own authentication: HTTP Basic with the access key and, as password,
an HMAC-SHA1 signature of the request keyed by the secret (REFERENCE.md 11.1).

    message   = X-Timestamp "\\n" METHOD "\\n" md5(body) "\\n" scheme "://" host path "\\n" query
    signature = hex(HMAC-SHA1(secret, message))

The three official v1 SDKs build the canonical string slightly differently, so a signature is
accepted if it matches any of their forms: body hash of the body or blank (and `md5("")` for an
empty body, as the docs say); host with or without its port (PHP drops it); the query sorted and
URL-encoded (Python), sorted as sent (Node) or in the order sent (PHP). The `X-Timestamp` is used
verbatim and must be within `v1_timestamp_window_seconds` of the server's clock (ISO 8601; no
zone means UTC), so a captured request cannot be replayed later.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from typing import Annotated
from urllib.parse import parse_qsl, urlencode

from fastapi import Depends, Request

from longcode.accounts import service as accounts_service
from longcode.accounts.sealing import unseal
from longcode.db.base import utcnow
from longcode.errors import Unauthorized
from longcode.http.auth import Principal, parse_basic
from longcode.http.state import SessionDep, StateDep


def body_hashes(body: bytes) -> list[str]:
    digest = hashlib.md5(body, usedforsecurity=False).hexdigest()
    return [digest] if body else ["", digest]


def query_forms(raw_query: str) -> list[str]:
    pairs = parse_qsl(raw_query, keep_blank_values=True)
    raw_pairs = [part.split("=", 1) + [""] * ("=" not in part) for part in raw_query.split("&") if part]
    forms = [
        urlencode(sorted(pairs)),
        "&".join(f"{k}={v}" for k, v in sorted(pairs)),
        "&".join(f"{k}={v}" for k, v in sorted(raw_pairs)),
        raw_query,
    ]
    return list(dict.fromkeys(forms))


def hosts(host: str) -> list[str]:
    bare = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    return list(dict.fromkeys([host, bare]))


def sign(secret: str, message: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha1).hexdigest()


def canonical_messages(
    *, timestamp: str, method: str, body: bytes, scheme: str, host: str, path: str, raw_query: str
) -> list[str]:
    """Every canonical message one of the official SDKs could have signed for this request."""
    return [
        f"{timestamp}\n{method.upper()}\n{body_md5}\n{scheme}://{netloc}{path}\n{query}"
        for body_md5 in body_hashes(body)
        for netloc in hosts(host)
        for query in query_forms(raw_query)
    ]


def parse_timestamp(raw: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _failed(detail: str = "Authentication failed.", code: str = "authentication_failed") -> Unauthorized:
    return Unauthorized(detail, code=code)


async def v1_principal(request: Request, session: SessionDep, state: StateDep) -> Principal:
    access_key, signature = parse_basic(request.headers.get("authorization"))
    raw_timestamp = request.headers.get("x-timestamp")
    if not raw_timestamp:
        raise _failed("v1 requests carry an X-Timestamp header (ISO 8601, UTC).", "timestamp_missing")
    moment = parse_timestamp(raw_timestamp)
    window = timedelta(seconds=state.settings.v1_timestamp_window_seconds)
    now = utcnow()
    if moment is None or abs(now - moment) > window:
        raise _failed(
            f"X-Timestamp {raw_timestamp!r} is not within {int(window.total_seconds())} s of the "
            f"server's clock ({now.strftime('%Y-%m-%dT%H:%M:%SZ')}).",
            "timestamp_out_of_window",
        )
    found = await accounts_service.find_sealed_secret(session=session, access_key=access_key)
    row, sealed = found if found is not None else (None, None)
    if row is None or not row.active or sealed is None:
        raise _failed()
    secret = unseal(state.pepper, access_key, sealed)
    if secret is None:
        raise _failed()
    messages = canonical_messages(
        timestamp=raw_timestamp,
        method=request.method,
        body=await request.body(),
        scheme=request.url.scheme,
        host=request.headers.get("host", ""),
        path=request.url.path,
        raw_query=request.url.query,
    )
    given = signature.strip().lower()
    if not any(hmac.compare_digest(sign(secret, message), given) for message in messages):
        raise _failed()
    return Principal(account_id=row.account_id, key_id=row.key_id, access_key=access_key)


V1Principal = Annotated[Principal, Depends(v1_principal)]
