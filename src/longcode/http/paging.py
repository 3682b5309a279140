"""`limit`/`offset` paging and the `links` a client follows to the end of a list."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from longcode.errors import Invalid


@dataclass(frozen=True, slots=True)
class Page:
    limit: int
    offset: int


def parse_int(params: QueryParams, name: str, default: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise Invalid(
            f"'{name}' must be an integer: got {raw!r}.", code=f"invalid_{name}", pointer=name
        ) from None


def parse_page(params: QueryParams, *, default_limit: int, max_limit: int) -> Page:
    """`limit` in 1..max_limit and `offset` >= 0, each refused by name otherwise."""
    limit = parse_int(params, "limit", default_limit)
    offset = parse_int(params, "offset", 0)
    if limit <= 0:
        raise Invalid(f"'limit' must be greater than 0: got {limit}.", code="invalid_limit", pointer="limit")
    if limit > max_limit:
        raise Invalid(
            f"'limit' must be at most {max_limit}: got {limit}.",
            code="invalid_limit",
            pointer="limit",
        )
    if offset < 0:
        raise Invalid(
            f"'offset' must be 0 or greater: got {offset}.", code="invalid_offset", pointer="offset"
        )
    return Page(limit=limit, offset=offset)


def page_links(base: str, filters: list[tuple[str, str]], page: Page, *, has_more: bool) -> dict[str, str]:
    """`self`, and `next`/`prev` where they exist; filters first, then limit and offset."""

    def url(offset: int) -> str:
        query = [*filters, ("limit", str(page.limit)), ("offset", str(offset))]
        return f"{base}?{urlencode(query)}"

    links = {"self": url(page.offset)}
    if has_more:
        links["next"] = url(page.offset + page.limit)
    if page.offset > 0:
        links["prev"] = url(max(page.offset - page.limit, 0))
    return links
