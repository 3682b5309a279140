"""Wire shapes of the number APIs (v2 JSON:API), as Flowroute's docs and SDK READMEs show them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from longcode.cnam.models import CnamRecord
from longcode.cnam.schemas import cnam_resource
from longcode.e911.models import E911Address
from longcode.e911.schemas import e911_resource
from longcode.money import NANODOLLARS_PER_DOLLAR
from longcode.numbers.models import Number
from longcode.numbers.search import Available
from longcode.routes.models import Route
from longcode.routes.schemas import route_resource
from longcode.types import Nanodollars

CALLBACK_TYPES = ("sms_callback", "mms_callback", "sms_dlr_callback", "mms_dlr_callback")


def dollars(amount: Nanodollars) -> float:
    """Flowroute shows number costs as JSON numbers of dollars (`1.25`, `1`)."""
    return amount / NANODOLLARS_PER_DOLLAR


def for_sale_attributes(number: Available | Number) -> dict[str, Any]:
    """What every number shows, for sale or held: its type, place and costs."""
    return {
        "monthly_cost": dollars(number.monthly_cost),
        "number_type": number.number_type,
        "rate_center": number.rate_center,
        "setup_cost": dollars(number.setup_cost),
        "state": number.state,
        "value": number.value,
    }


def available_resource(number: Available, base: str) -> dict[str, Any]:
    return {
        "attributes": for_sale_attributes(number),
        "id": number.value,
        "links": {"related": f"{base}/v2/numbers/{number.value}"},
        "type": "number",
    }


def code_resource(kind: str, code: str, base: str) -> dict[str, Any]:
    """An `areacode` (related: its exchanges) or an `exchange` (related: its numbers)."""
    if kind == "areacode":
        related = f"{base}/v2/numbers/available/exchanges?areacode={code}"
    else:
        related = f"{base}/v2/numbers/available?starts_with=1{code}"
    return {"id": code, "links": {"related": related}, "type": kind}


def messaging_enabled(number: Number, now: datetime) -> bool:
    waiting = number.messaging_enabled_at is not None and number.messaging_enabled_at > now
    return number.sms_enabled and not waiting


def number_attributes(number: Number, now: datetime) -> dict[str, Any]:
    return {
        "alias": number.alias,
        "cnam_lookups_enabled": number.cnam_lookups_enabled,
        "iso_country": number.iso_country,
        "messaging_enabled": messaging_enabled(number, now),
        **for_sale_attributes(number),
    }


def number_list_item(number: Number, base: str, now: datetime) -> dict[str, Any]:
    """A number in `GET /v2/numbers`: attributes and its link, no relationships."""
    return {
        "attributes": number_attributes(number, now),
        "id": number.value,
        "links": {"self": f"{base}/v2/numbers/{number.value}"},
        "type": "number",
    }


def _link(kind: str, identifier: object | None) -> dict[str, Any]:
    return {"data": None if identifier is None else {"id": str(identifier), "type": kind}}


def number_document(
    number: Number,
    base: str,
    now: datetime,
    *,
    routes: dict[int, Route],
    cnam: CnamRecord | None,
    e911: E911Address | None,
    callbacks: dict[str, str],
) -> dict[str, Any]:
    """The full number: relationships to its routes, CNAM, E911 and callbacks, all `included`."""
    self_link = f"{base}/v2/numbers/{number.value}"
    relationships: dict[str, Any] = {
        "cnam_preset": _link("cnam", number.cnam_id),
        "e911_address": _link("e911", number.e911_id),
        "failover_route": _link("route", number.failover_route_id),
        "primary_route": _link("route", number.primary_route_id),
    }
    included: list[dict[str, Any]] = []
    for route_id in dict.fromkeys((number.primary_route_id, number.failover_route_id)):
        if route_id is not None:
            included.append(route_resource(routes[route_id], base))
    if cnam is not None:
        included.append(cnam_resource(cnam, base))
    if e911 is not None:
        included.append(e911_resource(e911, base))
    for callback_type in CALLBACK_TYPES:
        url = callbacks.get(callback_type)
        relationships[callback_type] = {
            "data": None if url is None else {"id": callback_type, "type": "callback"},
            "links": {"related": f"{self_link}/relationships/{callback_type}"},
        }
        if url is not None:
            included.append({"attributes": {"callback_url": url}, "id": callback_type, "type": "callback"})
    return {
        "data": {
            "attributes": number_attributes(number, now),
            "id": number.value,
            "links": {"self": self_link},
            "relationships": relationships,
            "type": "number",
        },
        "included": included,
        "links": {"self": self_link},
    }
