"""Messages and receipts as plain rows: what the send path inserts and the read path returns.

Named like the ORM columns in `models.py`, so `schemas` shapes either.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

MESSAGE_COLUMNS = (
    "id, account_id, direction, from_number, to_number, body, is_mms, media_urls, dlr_callback,"
    " message_encoding, segments, message_type, status, amount_nanodollars, api_version, created_at"
)
"""The columns of `MessageRow`, in its order."""
MESSAGE_VALUES = ", ".join(f":{name.strip()}" for name in MESSAGE_COLUMNS.split(","))
"""The named parameters of `MESSAGE_COLUMNS`, for inserting a `MessageRow._asdict()`."""


class MessageRow(NamedTuple):
    id: str
    account_id: int
    direction: str
    from_number: str
    to_number: str
    body: str | None
    is_mms: bool
    media_urls: str
    dlr_callback: str | None
    message_encoding: int
    segments: int
    message_type: str
    status: str
    amount_nanodollars: int
    api_version: str
    created_at: datetime


class ReceiptRow(NamedTuple):
    message_id: str
    level: int
    status: str
    status_code: int | None
    status_code_description: str
    created_at: datetime


class MediaRow(NamedTuple):
    """A media file longcode fetched and serves at `/media/<token>/<file_name>`."""

    message_id: str
    position: int
    token: str
    file_name: str
    mime_type: str
    file_size: int
