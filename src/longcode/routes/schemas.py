"""Wire shapes of routes (v2)."""

from __future__ import annotations

from typing import Any

from longcode.routes.models import Route
from longcode.routes.service import EdgeStrategy


def route_resource(route: Route, base: str) -> dict[str, Any]:
    return {
        "attributes": {
            "alias": route.alias,
            "edge_strategy_id": route.edge_strategy_id,
            "route_type": route.route_type,
            "value": route.value,
        },
        "id": str(route.id),
        "links": {"self": f"{base}/v2/routes/{route.id}"},
        "type": "route",
    }


def edge_strategy_resource(edge: EdgeStrategy) -> dict[str, Any]:
    return {
        "attributes": {
            "description": edge.description,
            "firewall_rules": edge.firewall_rules,
            "name": edge.name,
            "naptr": edge.naptr,
        },
        "id": edge.id,
        "type": "edge_strategy",
    }
