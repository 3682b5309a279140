"""Wire shapes of messaging answers: MDR2 (v2.1), the legacy MDR of v2, callbacks."""

from __future__ import annotations

import json
import mimetypes
import posixpath
from typing import Any
from urllib.parse import urlsplit

from longcode.http.jsonapi import timestamp_mdr1, timestamp_mdr2
from longcode.messaging.queries import MessageRecord
from longcode.messaging.rows import MediaRow, MessageRow, ReceiptRow
from longcode.money import display


def receipt_attributes(receipt: ReceiptRow) -> dict[str, Any]:
    return {
        "level": receipt.level,
        "status": receipt.status,
        "status_code": receipt.status_code,
        "status_code_description": receipt.status_code_description,
        "timestamp": timestamp_mdr2(receipt.created_at),
    }


def _stored_media(media: list[MediaRow], base: str) -> list[dict[str, Any]]:
    return [
        {
            "id": f"{item.message_id}-{item.position}",
            "type": "media",
            "attributes": {
                "file_name": item.file_name,
                "file_size": item.file_size,
                "mime_type": item.mime_type,
                "url": f"{base}/media/{item.token}/{item.file_name}",
            },
            "links": {"self": f"{base}/v2.1/media/{item.message_id}-{item.position}"},
        }
        for item in media
    ]


def media_resources(
    message: MessageRow, base: str, media: list[MediaRow] | None = None
) -> list[dict[str, Any]]:
    """The media of an MMS as JSON:API resources.

    Once the delivery worker has fetched the files, their `url`s are the copies longcode serves
    (unguessable). Until then a file's `url` is the one the sender gave and its size and type
    are unknown (`null`), rather than guessed.
    """
    if media:
        return _stored_media(media, base)
    resources = []
    for index, url in enumerate(json.loads(message.media_urls)):
        media_id = f"{message.id}-{index + 1}"
        file_name = posixpath.basename(urlsplit(url).path) or None
        mime_type = mimetypes.guess_type(file_name)[0] if file_name else None
        resources.append(
            {
                "id": media_id,
                "type": "media",
                "attributes": {
                    "file_name": file_name,
                    "file_size": None,
                    "mime_type": mime_type,
                    "url": url,
                },
                "links": {"self": f"{base}/v2.1/media/{media_id}"},
            }
        )
    return resources


def mdr2(record: MessageRecord, base: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The MDR2 resource of a message, and the `included` media it refers to."""
    message = record.message
    resource: dict[str, Any] = {
        "type": "message",
        "id": message.id,
        "attributes": {
            "amount_display": display(message.amount_nanodollars),
            "amount_nanodollars": message.amount_nanodollars,
            "body": message.body,
            "delivery_receipts": [receipt_attributes(r) for r in record.receipts],
            "direction": message.direction,
            "from": message.from_number,
            "is_mms": message.is_mms,
            "message_encoding": message.message_encoding,
            "message_type": message.message_type,
            "status": message.status,
            "timestamp": timestamp_mdr2(message.created_at),
            "to": message.to_number,
        },
        "links": {"self": f"{base}/v2.1/messages/{message.id}"},
    }
    included = media_resources(message, base, record.media) if message.is_mms else []
    if message.is_mms:
        resource["relationships"] = {
            "media": {"data": [{"id": item["id"], "type": "media"} for item in included]}
        }
    return resource, included


def mdr1(record: MessageRecord, base: str) -> dict[str, Any]:
    """The legacy v2 MDR: `has_mms`, `callback_url`, `long-code`, microsecond timestamps."""
    message = record.message
    return {
        "type": "message",
        "id": message.id,
        "attributes": {
            "body": message.body,
            "direction": message.direction,
            "timestamp": timestamp_mdr1(message.created_at),
            "amount_nanodollars": message.amount_nanodollars,
            "from": message.from_number,
            "message_encoding": message.message_encoding,
            "type": "messages",
            "has_mms": message.is_mms,
            "to": message.to_number,
            "amount_display": display(message.amount_nanodollars),
            "callback_url": message.dlr_callback,
            "message_type": "long-code" if message.message_type == "longcode" else "toll-free",
        },
        "links": {"self": f"{base}/v2/messages/{message.id}"},
    }


def callback_document(callback_type: str, url: str, product: str) -> dict[str, Any]:
    return {
        "data": {
            "type": "callback",
            "id": callback_type,
            "attributes": {"api_version": "v2.1", "callback_url": url, "product": product},
        }
    }
