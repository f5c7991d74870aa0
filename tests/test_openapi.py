"""The OpenAPI document describes exactly the routes the app serves."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient

METHODS = {"get", "post", "put", "patch", "delete"}


def router_operations(app: web.Application) -> set[tuple[str, str]]:
    operations = set()
    for route in app.router.routes():
        method = route.method.lower()
        if method not in METHODS:
            continue
        info = route.resource.get_info() if route.resource else {}
        path = info.get("path") or info.get("formatter")
        if path is None:  # static folders are files, not API operations
            continue
        operations.add((method, path))
    return operations


async def test_every_route_is_documented_and_nothing_else(
    app: web.Application, client: TestClient[Any, Any]
) -> None:
    r = await client.get("/api/openapi.json")
    assert r.status == 200
    doc = await r.json()
    assert doc["openapi"].startswith("3.1")
    documented = {
        (method, path)
        for path, item in doc["paths"].items()
        for method in item
        if method in METHODS
    }
    assert documented == router_operations(app)


async def test_every_operation_declares_its_responses(client: TestClient[Any, Any]) -> None:
    doc = await (await client.get("/api/openapi.json")).json()
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                assert operation.get("responses"), (method, path)
                assert operation.get("summary"), (method, path)
