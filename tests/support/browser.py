"""Headless Chromium for end-to-end tests of public HTML pages, with an axe-core accessibility check.

Playwright (PyPI `playwright`: its driver ships inside the wheel) drives Debian's Chromium
(`/usr/bin/chromium`, apt package `chromium`), never a browser build of its own. axe-core's
JavaScript comes from the `axe-playwright-python` wheel, which bundles `axe.min.js`.

Use from a test module (the fixtures must be visible to pytest there, hence the import):

    from tests.support import browser

    chromium, page = browser.chromium, browser.page  # the fixtures, seen by pytest in this module
    axe_violations = browser.axe_violations

    @pytest.mark.e2e
    def test_accueil(page, site_url):
        page.goto(site_url + "/")
        assert axe_violations(page) == []

The browser is bound to this machine: only loopback URLs load (anything else is aborted and fails
the test), and Chromium's own background traffic (updates, sync, DNS prefetch) is switched off.
A missing Chromium or Playwright FAILS the test, with what to install: never a skip.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

# AGORA_CHROMIUM points at another Chromium binary; by default Debian's, as `.ci/run` installs it.
CHROMIUM_ENV = "AGORA_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
INSTALL_HINT = (
    "`.ci/run` installs it (apt-get update && apt-get install -y chromium, as root); "
    "on a developer machine run the same apt-get line, or `bash .ci/run`"
)

# Headless as root in a closed network: no sandbox (root cannot use it), and none of Chromium's
# calls home, which this machine's network refuses many at a time. DNS resolves loopback only.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-domain-reliability",
    "--disable-breakpad",
    "--metrics-recording-only",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE [::1]",
)

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})

DEFAULT_IMPACTS = ("serious", "critical")


def chromium_path() -> str:
    """The Chromium binary to drive, or a test failure saying how to install it."""
    wanted = os.environ.get(CHROMIUM_ENV) or DEFAULT_CHROMIUM
    found = shutil.which(wanted)
    if found is None:
        pytest.fail(
            f"Chromium not found at {wanted} (set {CHROMIUM_ENV} to use another): {INSTALL_HINT}.", pytrace=False
        )
    return found


def _sync_playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:  # pragma: no cover - only without the dev extras
        pytest.fail(
            f"Playwright is not installed ({error}): `pip install -e '.[dev]'` (make install) brings it.", pytrace=False
        )
    return sync_playwright


@contextmanager
def launch_chromium() -> Iterator[Browser]:
    """Start headless Chromium through Playwright; closed (and Playwright stopped) on exit."""
    executable = chromium_path()
    with _sync_playwright()() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, chromium_sandbox=False, args=list(CHROMIUM_ARGS)
        )
        try:
            yield browser
        finally:
            browser.close()


def is_loopback(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.scheme in {"http", "https", "ws", "wss"} and (parts.hostname or "") in LOOPBACK_HOSTS


@contextmanager
def open_page(browser: Browser, *, locale: str = "fr-FR", **context_options: Any) -> Iterator[Page]:
    """A page in a fresh context (no cookies shared between tests), French by default.

    context_options go to Browser.new_context (e.g. java_script_enabled=False).

    Requests to anything but loopback are aborted; on exit, an AssertionError lists them.
    """
    blocked: list[str] = []

    def guard(route: Route) -> None:
        if is_loopback(route.request.url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort("blockedbyclient")

    context = browser.new_context(locale=locale, service_workers="block", **context_options)
    context.set_default_timeout(10_000)
    context.route("**/*", guard)
    try:
        yield context.new_page()
    finally:
        context.close()
    if blocked:
        raise AssertionError("the page asked for non-loopback URLs (aborted): " + ", ".join(blocked))


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    """One headless Chromium for the whole session; fails (never skips) when it is not installed."""
    with launch_chromium() as browser:
        yield browser


@pytest.fixture
def page(chromium: Browser) -> Iterator[Page]:
    """A fresh French page per test; a request off this machine fails the test."""
    with open_page(chromium) as new_page:
        yield new_page


@cache
def axe_source() -> str:
    """axe-core's axe.min.js, as bundled in the axe-playwright-python wheel."""
    try:
        bundled = resources.files("axe_playwright_python") / "axe.min.js"
    except ModuleNotFoundError as error:  # pragma: no cover - only without the dev extras
        pytest.fail(
            f"axe-core is not installed ({error}): `pip install -e '.[dev]'` (make install) brings it.", pytrace=False
        )
    return bundled.read_text(encoding="utf-8")


def axe_version(page: Page) -> str:
    _inject_axe(page)
    return str(page.evaluate("() => axe.version"))


def _inject_axe(page: Page) -> None:
    # Through the DevTools protocol, not a <script> tag: a page's Content-Security-Policy can't stop it.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())


def axe_violations(
    page: Page, impacts: tuple[str, ...] | list[str] = DEFAULT_IMPACTS, *, options: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now; the violations of the given impacts.

    Each is {"id", "impact", "help", "help_url", "targets"}, targets being one CSS selector per
    offending node. `options` go to axe.run (e.g. {"runOnly": ["wcag2a", "wcag2aa"]}).
    The page's context must allow JavaScript: axe.run waits on timers, which never fire where
    JavaScript is disabled. To check a page served to a no-JS browser, load the same URL in a
    JavaScript-enabled context (tests/e2e/test_rsvp_browser.py does).
    """
    _inject_axe(page)
    run_options = {"resultTypes": ["violations"], **(options or {})}
    results = page.evaluate("options => axe.run(document, options)", run_options)
    return [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "help_url": violation["helpUrl"],
            "targets": [" >>> ".join(map(str, node["target"])) for node in violation["nodes"]],
        }
        for violation in results["violations"]
        if violation["impact"] in impacts
    ]


def format_violations(violations: list[dict[str, Any]]) -> str:
    """One line per violation, for an assertion message."""
    return "\n".join(f"{v['impact']}: {v['id']} ({v['help']}) at {', '.join(v['targets'])}" for v in violations)


def assert_accessible(chromium: Any, page: Any) -> None:
    """axe-core on the document the page shows. axe needs timers, which never fire with JavaScript off (axe.run
    hangs there), so it runs on a twin: the same HTML, served at the same URL, in a context with JavaScript on."""
    html, url = page.content(), page.url
    with open_page(chromium) as twin:
        twin.route(url, lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html))
        twin.goto(url)
        violations = axe_violations(twin)
    assert violations == [], format_violations(violations)
