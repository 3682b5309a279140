"""Inbound routes: create, list, update, delete, and assign to numbers. No HTTP here.

Values are checked for their type (Flowroute's rules):
- `host`: an IP address or host name, with an optional `:port` (no port means DNS SRV).
- `number`: an 11-digit North American number (`16476998778`).
- `uri`: `sip:` or `sips:` `user@host[:port]` with optional `;param=value` parts
  (`sip:16476998778@215.122.69.152:5060;transport=tcp`).
- `sip-reg`: the built-in route 0 only; it cannot be created, changed or deleted.
Any route may carry Flowroute's `;weight=N` parameter for weighted splits.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from longcode.errors import Forbidden, Invalid, NotFound
from longcode.numbers.models import Number
from longcode.phone import InvalidNumber, parse_nanp
from longcode.routes.models import ROUTE_TYPES, SIP_REG_ROUTE_ID, Route

MAX_ALIAS = 64
_LABEL = r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)"
_HOSTNAME = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*\.?$")
_PARAMS = r"(?:;[A-Za-z0-9_.-]+(?:=[A-Za-z0-9_.:-]+)?)*"
_URI = re.compile(rf"^(?P<scheme>sips?):(?:(?P<user>[^@;\s]+)@)?(?P<host>[^;\s]+){_PARAMS}$")
_HOST_ROUTE = re.compile(rf"^(?P<host>[^;\s]+){_PARAMS}$")


@dataclass(frozen=True, slots=True)
class EdgeStrategy:
    id: int
    name: str
    description: str
    naptr: str
    firewall_rules: str


# The points of presence a route may prefer. longcode carries no voice, so the choice is only
# stored and echoed; the one entry is Flowroute's, as its docs show it (REFERENCE.md 6.5). The
# live API lists more whose details were not captured, and longcode does not invent them.
EDGE_STRATEGIES = (
    EdgeStrategy(
        4,
        "US-East-VA",
        "Data will be sent preferentially from our edge systems in North Virginia. "
        "We will fall back to other regions if necessary.",
        "us-east-va.sip.flowroute.com",
        "34.226.36.32/28, 34.226.36.32-34.226.36.47",
    ),
)


def _is_host(host: str) -> bool:
    name, _, port = host.rpartition(":") if host.count(":") == 1 else (host, "", "")
    if port and not (port.isdigit() and 0 < int(port) < 65536):
        return False
    name = name or host
    try:
        ipaddress.ip_address(name.strip("[]"))
        return True
    except ValueError:
        return bool(_HOSTNAME.match(name)) and len(name) <= 253


def check_value(route_type: object, value: object) -> tuple[str, str]:
    """The route type and value, both checked, or `Invalid` naming the field."""
    if route_type not in ROUTE_TYPES:
        raise Invalid(
            f"'route_type' must be one of {', '.join(ROUTE_TYPES)}: got {route_type!r}.",
            code="invalid_route_type",
            pointer="route_type",
        )
    assert isinstance(route_type, str)
    if route_type == "sip-reg":
        raise Invalid(
            "'sip-reg' is the built-in route (id 0); assign it, there is no need to create one.",
            code="invalid_route_type",
            pointer="route_type",
        )
    if not isinstance(value, str) or not value.strip():
        raise Invalid(
            f"'value' is required for a {route_type} route.", code="invalid_route_value", pointer="value"
        )
    value = value.strip()
    if route_type == "number":
        try:
            return route_type, parse_nanp(value.split(";")[0], field="value")
        except InvalidNumber as exc:
            raise Invalid(exc.detail, code="invalid_route_value", pointer="value") from None
    if route_type == "host":
        match = _HOST_ROUTE.match(value)
        if match is None or not _is_host(match["host"]):
            raise Invalid(
                f"'value' of a host route is an IP address or host name with an optional port, such "
                f"as 24.239.23.40:5060 or myphone.com: got {value!r}.",
                code="invalid_route_value",
                pointer="value",
            )
        return route_type, value
    match = _URI.match(value)
    if match is None or not _is_host(match["host"]):
        raise Invalid(
            "'value' of a uri route is sip:user@host[:port][;transport=udp|tcp|tls], such as "
            f"sip:16476998778@215.122.69.152:5060;transport=tcp: got {value!r}.",
            code="invalid_route_value",
            pointer="value",
        )
    return route_type, value


def check_alias(alias: object) -> str:
    if not isinstance(alias, str) or not alias.strip() or len(alias) > MAX_ALIAS:
        raise Invalid(
            f"'alias' is required: a name of at most {MAX_ALIAS} characters, unique on your account.",
            code="invalid_alias",
            pointer="alias",
        )
    return alias.strip()


def check_edge_strategy(raw: object) -> int | None:
    if raw is None or raw == "":
        return None
    try:
        edge = int(str(raw))
    except ValueError:
        edge = -1
    if edge not in {e.id for e in EDGE_STRATEGIES}:
        known = ", ".join(f"{e.id} ({e.name})" for e in EDGE_STRATEGIES)
        raise Invalid(
            f"'edge_strategy_id' must be one of {known}: got {raw!r}.",
            code="invalid_edge_strategy",
            pointer="edge_strategy_id",
        )
    return edge


async def _alias_free(
    session: AsyncSession, account_id: int, alias: str, route_id: int | None = None
) -> None:
    query = select(Route.id).where(
        or_(Route.account_id == account_id, Route.id == SIP_REG_ROUTE_ID), Route.alias == alias
    )
    taken = await session.scalar(query)
    if taken is not None and taken != route_id:
        raise Forbidden(
            f"You already have a route named {alias!r}.", code="route_alias_taken", pointer="alias"
        )


async def create_route(*, session: AsyncSession, account_id: int, attributes: dict[str, object]) -> Route:
    route_type, value = check_value(attributes.get("route_type"), attributes.get("value"))
    alias = check_alias(attributes.get("alias"))
    edge = check_edge_strategy(attributes.get("edge_strategy_id", attributes.get("edge_strategy")))
    await _alias_free(session, account_id, alias)
    route = Route(
        account_id=account_id, alias=alias, route_type=route_type, value=value, edge_strategy_id=edge
    )
    session.add(route)
    await session.flush()
    return route


async def get_route(*, session: AsyncSession, account_id: int, route_id: object, field: str = "id") -> Route:
    """The account's route (or the built-in 0), or `NotFound`."""
    try:
        wanted = int(str(route_id))
    except ValueError:
        wanted = -1
    route = await session.get(Route, wanted) if wanted >= 0 else None
    if route is None or route.account_id not in (None, account_id):
        raise NotFound(f"No route {route_id} on your account.", code="route_not_found", pointer=field)
    return route


async def get_route_by_alias(*, session: AsyncSession, account_id: int, alias: str) -> Route:
    route = await session.scalar(
        select(Route).where(
            or_(Route.account_id == account_id, Route.id == SIP_REG_ROUTE_ID), Route.alias == alias
        )
    )
    if route is None:
        raise NotFound(f"No route named {alias!r} on your account.", code="route_not_found", pointer="name")
    return route


async def list_routes(
    *, session: AsyncSession, account_id: int, route_type: str | None, limit: int, offset: int
) -> tuple[list[Route], bool]:
    query = select(Route).where(or_(Route.account_id == account_id, Route.id == SIP_REG_ROUTE_ID))
    if route_type is not None:
        query = query.where(Route.route_type == route_type)
    rows = list(await session.scalars(query.order_by(Route.id).limit(limit + 1).offset(offset)))
    return rows[:limit], len(rows) > limit


def _not_builtin(route: Route) -> None:
    if route.id == SIP_REG_ROUTE_ID:
        raise Forbidden("The built-in sip-reg route cannot be changed or deleted.", code="route_builtin")


async def update_route(
    *, session: AsyncSession, account_id: int, route_id: str, attributes: dict[str, object]
) -> Route:
    route = await get_route(session=session, account_id=account_id, route_id=route_id)
    _not_builtin(route)
    route_type = attributes.get("route_type", route.route_type)
    value = attributes.get("value", route.value)
    route.route_type, route.value = check_value(route_type, value)
    if "alias" in attributes:
        alias = check_alias(attributes["alias"])
        await _alias_free(session, account_id, alias, route.id)
        route.alias = alias
    if "edge_strategy_id" in attributes or "edge_strategy" in attributes:
        route.edge_strategy_id = check_edge_strategy(
            attributes.get("edge_strategy_id", attributes.get("edge_strategy"))
        )
    await session.flush()
    return route


async def delete_route(*, session: AsyncSession, account_id: int, route_id: str) -> None:
    route = await get_route(session=session, account_id=account_id, route_id=route_id)
    _not_builtin(route)
    users = await session.scalar(
        select(func.count())
        .select_from(Number)
        .where(or_(Number.primary_route_id == route.id, Number.failover_route_id == route.id))
    )
    if users:
        raise Forbidden(
            f"Please disassociate all numbers before deleting: route {route.id} is the primary or "
            f"failover route of {users} number{'s' if users != 1 else ''}.",
            code="route_in_use",
        )
    await session.delete(route)
    await session.flush()


async def assign(number: Number, route: Route | None, *, failover: bool) -> None:
    """Make `route` the number's primary (or failover) route; `None` removes it."""
    if failover:
        number.failover_route_id = None if route is None else route.id
    else:
        number.primary_route_id = None if route is None else route.id
