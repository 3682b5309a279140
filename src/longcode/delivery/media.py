"""Fetching an MMS's media once, safely, into the data dir's content-addressed store.

Rules (docs/delivery.md): http(s) only; at most `media_max_bytes` a file; image, video, audio,
plain text, vCard or PDF; at most 3 redirects, each checked like the first URL; no address that
is private, loopback, link-local or otherwise not global unless the operator allows it.
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import mimetypes
import os
import posixpath
import socket
import tempfile
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from longcode.config import Settings
from longcode.messaging.inbound import StoredFile

MAX_REDIRECTS = 3
ALLOWED_TYPES = ("image/", "video/", "audio/", "text/plain", "text/vcard", "text/x-vcard", "application/pdf")


class MediaError(Exception):
    """A file that could not be fetched; `temporary` failures are worth another try."""

    def __init__(self, detail: str, *, temporary: bool) -> None:
        super().__init__(detail)
        self.detail = detail
        self.temporary = temporary


def media_dir(settings: Settings) -> Path:
    return settings.data_dir / "media"


async def _check_host(url: str, settings: Settings) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise MediaError(f"{url}: only http and https URLs are fetched", temporary=False)
    if settings.media_allow_private:
        return
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(parts.hostname, None, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise MediaError(f"{url}: host not found ({exc.strerror})", temporary=True) from None
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise MediaError(
                f"{url}: {address} is a private or local address (LONGCODE_MEDIA_ALLOW_PRIVATE allows it)",
                temporary=False,
            )


def _file_name(url: str, mime_type: str, position: int) -> str:
    name = posixpath.basename(urlsplit(url).path)
    if name and all(ch.isalnum() or ch in "._-" for ch in name):
        return name[:200]
    return f"media{position}{mimetypes.guess_extension(mime_type) or ''}"


async def fetch(client: httpx.AsyncClient, url: str, position: int, settings: Settings) -> StoredFile:
    """Download `url` into the store; `MediaError` if it breaks a rule or cannot be had."""
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        await _check_host(current, settings)
        try:
            async with client.stream(
                "GET", current, timeout=settings.media_fetch_timeout_seconds
            ) as response:
                if response.is_redirect:
                    current = urljoin(current, response.headers.get("location", ""))
                    continue
                return await _store(response, url, position, settings)
        except httpx.HTTPError as exc:
            raise MediaError(f"{url}: {type(exc).__name__}: {exc}", temporary=True) from None
    raise MediaError(f"{url}: more than {MAX_REDIRECTS} redirects", temporary=False)


async def _store(response: httpx.Response, url: str, position: int, settings: Settings) -> StoredFile:
    if response.status_code != 200:
        temporary = response.status_code >= 500 or response.status_code == 429
        raise MediaError(f"{url}: the server answered {response.status_code}", temporary=temporary)
    mime_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if not mime_type.startswith(ALLOWED_TYPES):
        raise MediaError(f"{url}: type {mime_type or 'unknown'!r} is not carried by MMS", temporary=False)
    folder = media_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    handle, temporary_path = tempfile.mkstemp(dir=folder, prefix=".fetch-")
    try:
        with os.fdopen(handle, "wb") as out:
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > settings.media_max_bytes:
                    raise MediaError(
                        f"{url}: larger than the {settings.media_max_bytes:,}-byte limit", temporary=False
                    )
                digest.update(chunk)
                out.write(chunk)
        os.replace(temporary_path, folder / digest.hexdigest())
    finally:
        if os.path.exists(temporary_path):
            os.unlink(temporary_path)
    return StoredFile(url, _file_name(url, mime_type, position), mime_type, size, digest.hexdigest())
