"""Receiving a message at a platform number: from another platform number (on-net), from the
sandbox (an auto-reply, an injected handset message) or from a carrier (SMPP MO). One path for all.

In one transaction: opt-out keywords take effect, the inbound MDR is stored (charged only when
an inbound callback URL is set, as Flowroute's FAQ says), its media are linked, the webhook is
queued, and a HELP is answered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from longcode.billing.rates import inbound_price
from longcode.config import Settings
from longcode.db.base import utcnow
from longcode.db.tx import Sql, Tx
from longcode.ids import random_hex32
from longcode.messaging import optout
from longcode.messaging.encoding import encode_info
from longcode.messaging.queries import MessageRecord
from longcode.messaging.requests import SendRequest
from longcode.messaging.rows import MESSAGE_COLUMNS, MESSAGE_VALUES, MediaRow, MessageRow
from longcode.messaging.service import API_V21, new_message_id, prepare_outbound
from longcode.messaging.store import INSERT_MESSAGE
from longcode.phone import message_type
from longcode.webhooks import events, payloads
from longcode.webhooks.models import KIND_INBOUND_MMS, KIND_INBOUND_SMS

OWNER = Sql("SELECT account_id FROM number WHERE value = :value AND account_id IS NOT NULL")
INSERT_INBOUND = Sql(
    f"INSERT INTO message ({MESSAGE_COLUMNS}, updated_at, next_attempt_at, attempts, stage, origin_id)"
    f" VALUES ({MESSAGE_VALUES}, :created_at, NULL, 0, 'done', :origin_id) ON CONFLICT DO NOTHING"
)
INSERT_MEDIA = Sql(
    "INSERT INTO message_media (message_id, position, token, source_url, file_name, mime_type, file_size,"
    " digest, created_at) VALUES (:message_id, :position, :token, :source_url, :file_name, :mime_type,"
    " :file_size, :digest, :now)"
)


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A media file already in the data dir's store, to attach to a message."""

    source_url: str
    file_name: str
    mime_type: str
    file_size: int
    digest: str


async def receive_inbound(
    tx: Tx,
    settings: Settings,
    *,
    to: str,
    from_: str,
    body: str | None,
    is_mms: bool = False,
    files: Sequence[StoredFile] = (),
    origin_id: str | None = None,
) -> str | None:
    """Store a message arriving at platform number `to`; its id, or None if nobody holds `to`
    (or this origin was already received: handlers run at least once)."""
    owner = await tx.fetchone(OWNER, {"value": to})
    if owner is None:
        return None
    account_id = int(owner[0])
    url = await events.callback_url(
        tx, account_id=account_id, number=to, callback_type="mms_callback" if is_mms else "sms_callback"
    )
    message = _inbound_row(settings, account_id, to, from_, body, is_mms, charged=url is not None)
    if not await tx.execute(INSERT_INBOUND, {**message._asdict(), "origin_id": origin_id}):
        return None
    media = await attach_files(tx, message.id, files)
    word = optout.keyword(body)
    if word is not None:
        await optout.apply(tx, number=to, sender=from_, word=word)
        if word == optout.HELP:
            await _reply(
                tx, settings, account_id, from_=to, to=from_, body=await optout.help_reply(tx, account_id)
            )
    if url is not None:
        record = MessageRecord(message, [], media)
        await events.queue_event(
            tx,
            account_id=account_id,
            message_id=message.id,
            kind=KIND_INBOUND_MMS if is_mms else KIND_INBOUND_SMS,
            dedupe_key=f"inbound:{message.id}",
            url=url,
            payload=payloads.inbound_payload(record, url, settings.base_url),
        )
    return message.id


def _inbound_row(
    settings: Settings, account_id: int, to: str, from_: str, body: str | None, is_mms: bool, *, charged: bool
) -> MessageRow:
    info = encode_info(body or "")
    segments = 1 if is_mms else info.segments
    price = inbound_price(settings, is_mms=is_mms, segments=segments) if charged else 0
    return MessageRow(
        id=new_message_id(API_V21),
        account_id=account_id,
        direction="inbound",
        from_number=from_,
        to_number=to,
        body=body,
        is_mms=is_mms,
        media_urls="[]",
        dlr_callback=None,
        message_encoding=info.encoding,
        segments=segments,
        message_type=message_type(to),
        # Flowroute's inbound SMS read `delivered`; its captured inbound MMS payload has "".
        status="" if is_mms else "delivered",
        amount_nanodollars=price,
        api_version=API_V21,
        created_at=utcnow(),
    )


async def attach_files(tx: Tx, message_id: str, files: Sequence[StoredFile]) -> list[MediaRow]:
    """Link stored media files to a message, each under a new unguessable token."""
    media = []
    for position, item in enumerate(files, start=1):
        token = random_hex32()
        await tx.execute(
            INSERT_MEDIA,
            {
                "message_id": message_id,
                "position": position,
                "token": token,
                "source_url": item.source_url,
                "file_name": item.file_name,
                "mime_type": item.mime_type,
                "file_size": item.file_size,
                "digest": item.digest,
                "now": utcnow(),
            },
        )
        media.append(MediaRow(message_id, position, token, item.file_name, item.mime_type, item.file_size))
    return media


async def _reply(tx: Tx, settings: Settings, account_id: int, *, from_: str, to: str, body: str) -> None:
    """An automatic reply (HELP): an ordinary outbound message of the account, queued and charged."""
    request = SendRequest(to=to, from_=from_, body=body, is_mms=False, media_urls=(), dlr_callback=None)
    reply = prepare_outbound(settings, request, account_id=account_id, api_version=API_V21)
    await tx.execute(INSERT_MESSAGE, reply._asdict())
