"""The manifest app.py registers the routes from (api/routes.py) says what the route modules declare, no more, no
less: a route missing from it would answer the catch-all's 404, a stale line a 500 on its first request."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import chalicelib.api
from chalicelib.api import routes
from chalicelib.api.http import JSON, Api

# Not route modules (helpers, the pipeline, the manifest itself), or the local stage's own, registered as blueprints
# by app.py on that stage only.
NOT_IN_MANIFEST = {"cors", "http", "openapi", "pages", "routes", "dev", "docs"}


def _declared() -> dict[tuple[str, str], tuple[Any, ...]]:
    for module in pkgutil.iter_modules(chalicelib.api.__path__):
        if module.name not in NOT_IN_MANIFEST:
            importlib.import_module(f"chalicelib.api.{module.name}")
    lines = {}
    for doc in Api.registry:
        short = doc.module.removeprefix("chalicelib.api.")
        if short in NOT_IN_MANIFEST:
            continue
        line = (doc.method, doc.path, short, doc.name)
        lines[(doc.method, doc.path)] = line if doc.content_types == (JSON,) else (*line, doc.content_types)
    return lines


def test_the_manifest_lists_every_declared_route_as_declared() -> None:
    declared = _declared()
    listed = {(line[0], line[1]): line for line in routes.ROUTES}
    assert len(listed) == len(routes.ROUTES), "a (method, path) listed twice"
    missing = [declared[key] for key in declared if listed.get(key) != declared[key]]
    stale = [listed[key] for key in listed if declared.get(key) != listed[key]]
    assert missing == [], f"add to api/routes.py ROUTES: {missing}"
    assert stale == [], f"remove or correct in api/routes.py ROUTES: {stale}"


def test_every_manifest_module_is_a_route_module() -> None:
    names = {module.name for module in pkgutil.iter_modules(chalicelib.api.__path__)}
    assert {line[2] for line in routes.ROUTES} <= names - NOT_IN_MANIFEST


def test_the_app_registers_each_route_once_with_its_preflight_and_no_module() -> None:
    """app.py's routes come from the manifest: each (path, method) once, an OPTIONS per path."""
    from chalice.app import Chalice

    app = Chalice(app_name="manifest")
    routes.register(app)
    registered = {(method, path) for path, methods in app.routes.items() for method in methods}
    paths = {line[1] for line in routes.ROUTES}
    assert {(line[0], line[1]) for line in routes.ROUTES} <= registered
    assert {("OPTIONS", path) for path in paths} <= registered
    for line in routes.ROUTES:
        entry = app.routes[line[1]][line[0]]
        assert entry.content_types == list(line[4] if len(line) > 4 else [JSON])
