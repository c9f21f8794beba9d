"""The browser support works: headless Chromium reads French pages served on loopback, submits a
form without JavaScript, and axe-core tells an accessible page from one with a serious violation."""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from tests.support.browser import axe_version, axe_violations, format_violations, open_page

pytestmark = pytest.mark.e2e

LAYOUT = """<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>{title}</title></head>
<body>
<header><p>Mairie de Saint-Exemple</p></header>
<main>
<h1>{title}</h1>
{body}
</main>
</body>
</html>
"""

GOOD_BODY = """<p>Inscrivez-vous à la lettre d'information de la commune.</p>
<form method="post" action="/inscription">
  <label for="nom">Nom et prénom</label>
  <input id="nom" name="nom" type="text" autocomplete="name" required>
  <label for="courriel">Adresse électronique</label>
  <input id="courriel" name="courriel" type="email" autocomplete="email" required>
  <button type="submit">S'inscrire</button>
</form>"""

# Two deliberate critical violations: an unlabelled field (label) and an image without alt (image-alt).
BAD_BODY = """<img src="/blason.png">
<form method="post" action="/inscription">
  <input id="nom" name="nom" type="text">
  <button type="submit">Envoyer</button>
</form>"""

EXTERNAL_BODY = """<p>Cette page demande une image hors de la machine.</p>
<img src="http://exemple.invalid/logo.png" alt="Logo">"""

PAGES = {
    "accessible.html": LAYOUT.format(title="Lettre d'information", body=GOOD_BODY),
    "inaccessible.html": LAYOUT.format(title="Formulaire défectueux", body=BAD_BODY),
    "externe.html": LAYOUT.format(title="Ressource externe", body=EXTERNAL_BODY),
}


class _Handler(SimpleHTTPRequestHandler):
    """Static files from the served folder, and a POST form answered by a server-rendered page."""

    def do_POST(self) -> None:
        if self.path != "/inscription":
            self.send_error(404)
            return
        length = int(self.headers.get("Content-Length") or 0)
        fields = parse_qs(self.rfile.read(length).decode("utf-8"))
        nom = html.escape(fields.get("nom", [""])[0])
        body = (
            f'<p role="status">Merci {nom}, votre inscription est enregistrée.</p>'
            '<p><a href="/accessible.html">Retour</a></p>'
        )
        payload = LAYOUT.format(title="Inscription confirmée", body=body).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[str]:
    """The pages above, served on 127.0.0.1 at a port the system picks (port 0: always free)."""
    root: Path = tmp_path_factory.mktemp("site")
    for name, text in PAGES.items():
        (root / name).write_text(text, encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), lambda *args: _Handler(*args, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    yield f"http://{host}:{port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_chromium_renders_a_french_page(page, site):
    response = page.goto(f"{site}/accessible.html")
    assert response is not None and response.status == 200
    assert page.title() == "Lettre d'information"
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", level=1).inner_text() == "Lettre d'information"
    assert page.evaluate("() => navigator.language") == "fr-FR"


def test_form_submits_without_javascript(chromium, site):
    with open_page(chromium, java_script_enabled=False) as plain:
        plain.goto(f"{site}/accessible.html")
        assert plain.evaluate("() => 1 + 1") == 2  # the harness still evaluates; the page's own scripts don't run
        plain.get_by_label("Nom et prénom").fill("Élise Durand <script>")
        plain.get_by_label("Adresse électronique").fill("elise@example.org")
        with plain.expect_navigation():
            plain.get_by_role("button", name="S'inscrire").click()
        assert plain.url == f"{site}/inscription"
        assert plain.title() == "Inscription confirmée"
        status = plain.get_by_role("status").inner_text()
        assert status == "Merci Élise Durand <script>, votre inscription est enregistrée."


def test_axe_finds_nothing_serious_on_the_accessible_pages(page, site):
    page.goto(f"{site}/accessible.html")
    assert axe_version(page).startswith("4.")
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)

    page.get_by_label("Nom et prénom").fill("Jean Dupont")
    page.get_by_label("Adresse électronique").fill("jean@example.org")
    with page.expect_navigation():
        page.get_by_role("button", name="S'inscrire").click()
    assert page.get_by_role("status").is_visible()
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)


def test_axe_finds_the_deliberate_violations(page, site):
    page.goto(f"{site}/inaccessible.html")
    violations = axe_violations(page)
    by_id = {v["id"]: v for v in violations}
    assert {"label", "image-alt"} <= set(by_id), format_violations(violations)
    assert by_id["label"]["impact"] == "critical"
    assert by_id["label"]["targets"] == ["#nom"]
    assert by_id["image-alt"]["targets"] == ["img"]
    assert all(v["impact"] in {"serious", "critical"} for v in violations)
    assert all(v["help"] and v["help_url"].startswith("https://") for v in violations)
    # Asked for critical only, the helper leaves the serious ones out; asked for minor only, these go.
    assert {v["impact"] for v in axe_violations(page, impacts=("critical",))} == {"critical"}
    assert not {"label", "image-alt"} & {v["id"] for v in axe_violations(page, impacts=("minor",))}


def test_requests_off_the_machine_are_aborted_and_fail_the_test(chromium, site):
    with pytest.raises(AssertionError, match=r"exemple\.invalid"), open_page(chromium) as guarded:
        guarded.goto(f"{site}/externe.html")
        guarded.wait_for_load_state("load")
        assert guarded.evaluate("() => document.images[0].naturalWidth") == 0
