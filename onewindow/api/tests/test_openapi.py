"""The published OpenAPI document (/api/openapi.json): one schema per name, so generated clients read what is sent."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from ninja.openapi.schema import OpenAPISchema

from onewindow.api import api


def test_no_two_different_schemas_share_a_name(monkeypatch: Any) -> None:
    """ninja files every schema under its class name, the last one of a name winning: a client then
    parses one endpoint's answer with another endpoint's schema. Rename one of the two classes."""
    definitions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    add = OpenAPISchema.add_schema_definitions

    def record(self: OpenAPISchema, found: dict[str, Any]) -> None:
        for name, schema in found.items():
            if schema not in definitions[name]:
                definitions[name].append(schema)
        add(self, found)

    monkeypatch.setattr(OpenAPISchema, "add_schema_definitions", record)
    api.get_openapi_schema()
    assert len(definitions) > 50
    assert sorted(name for name, found in definitions.items() if len(found) > 1) == []
