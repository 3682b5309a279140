"""The official Flowroute OpenAPI document from ../shared, with its `$ref`s resolved, and a
validator for responses. Found beside the checkout; tests skip with the reason if it is absent.

Known deviations of the spec from the real API, which longcode follows instead (each is
applied to the loaded schema, never to the file):
- `amount_display` is typed `number` but the real API sends a string such as `"$0.0040"`
  (REFERENCE.md 3.2, from the SDK README's captured responses).
- `delivery_receipts[].status_code` is `null` on level-1 receipts in real captures.
- `body` is `null` on media-only MMS in real captures (REFERENCE.md 3.6).
- Error `detail` may be absent in the spec's shape; longcode always sends it (stricter, fine).
- A number's `value` is typed `integer`; the real API sends the 11 digits as a string
  (REFERENCE.md 5.4-5.6), as the Flowroute SDKs expect.
- A number's `cnam_preset`, `e911_address` and `failover_route` relationships are typed as a
  string `data`; the real API sends `{"data": null}` or `{"data": {"id", "type"}}` (REFERENCE.md 5.1).
- A route's `value` is `null` for the built-in sip-reg route (REFERENCE.md 6.1), and a number's
  `alias` is `null` until one is set (REFERENCE.md 5.5).
- longcode's choice where Flowroute's is not recorded: a toll-free number's `rate_center` and
  `state` are `null` (toll-free numbers have no rate center).
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

SHARED = Path(__file__).resolve().parents[3] / "shared"
SPEC = SHARED / "spec" / "flowroute-openapi-v3.json"


def require_spec() -> dict[str, Any]:
    if not SPEC.exists():
        pytest.skip(f"the Flowroute spec is not beside the checkout ({SPEC}); conformance not checked")
    return load_spec()


@cache
def load_spec() -> dict[str, Any]:
    spec = json.loads(SPEC.read_text())
    return _resolve(spec, spec)


def _resolve(node: Any, root: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        if "$ref" in node:
            target: Any = root
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            merged = {**_resolve(target, root), **{k: v for k, v in node.items() if k != "$ref"}}
            return merged
        return {key: _resolve(value, root) for key, value in node.items()}
    if isinstance(node, list):
        return [_resolve(item, root) for item in node]
    return node


def _apply_deviations(schema: dict[str, Any]) -> dict[str, Any]:
    schema = copy.deepcopy(schema)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            properties = node.get("properties", {})
            if "amount_display" in properties:
                properties["amount_display"] = {"type": "string", "pattern": r"^-?\$\d+\.\d{4}$"}
            if "status_code" in properties and "level" in properties:
                properties["status_code"] = {"type": ["integer", "null"]}
            if "body" in properties and "is_mms" in properties and "direction" in properties:
                properties["body"] = {"type": ["string", "null"]}
            if properties.get("value", {}).get("type") == "integer":
                properties["value"] = {"type": "string", "pattern": r"^1\d{10}$"}
            if "cnam_lookups_enabled" in properties and "alias" in properties:
                properties["alias"] = {"type": ["string", "null"]}
            if "route_type" in properties and "value" in properties:
                properties["value"] = {"type": ["string", "null"]}
            if "rate_center" in properties and "state" in properties:
                properties["rate_center"] = properties["state"] = {"type": ["string", "null"]}
            for name in ("cnam_preset", "e911_address", "failover_route"):
                if properties.get(name, {}).get("properties", {}).get("data", {}).get("type") == "string":
                    properties[name] = {
                        "type": "object",
                        "properties": {"data": {"type": ["object", "null"]}},
                    }
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(schema)
    return schema


def response_schema(method: str, path: str, status: int) -> dict[str, Any] | None:
    """The schema the spec gives this response; the Error schema for any error status."""
    spec = load_spec()
    operation = spec["paths"].get(path, {}).get(method.lower())
    if status >= 400:
        return _apply_deviations(spec["components"]["schemas"]["Error"])
    if operation is None:
        return None
    response = operation["responses"].get(str(status))
    if response is None:
        raise AssertionError(f"{method} {path} answered {status}, which the spec does not list")
    content = response.get("content", {})
    if not content:
        return None
    (media,) = content.values()
    return _apply_deviations(media["schema"])


def validate(method: str, path: str, status: int, body: Any) -> None:
    schema = response_schema(method, path, status)
    if schema is None:
        return
    jsonschema.validate(body, schema, format_checker=jsonschema.FormatChecker())
