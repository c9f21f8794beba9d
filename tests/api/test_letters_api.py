"""Letters (publipostage): POST /letters → background job → one PDF and a label sheet in S3, a `letter`
interaction per recipient; the address sits in the window of a DL envelope; bad input is refused before the job."""

from __future__ import annotations

import io
from typing import Any
from unittest.mock import ANY
from urllib.parse import unquote, urlparse

import pytest
from pypdf import PdfReader

from chalicelib import aws
from chalicelib.domain.letters import address_zone
from chalicelib.printing import letters as printed_letters
from chalicelib.services import letters as letters_service
from chalicelib.settings import get_settings, reset_settings
from tests.api.test_protocol_api import holder
from tests.support.guard import fenced
from tests.support.responses import ok
from tests.support.world import World

ADDRESS = {"lines": ["7 place de la Madeleine"], "postcode": "76000", "city": "Rouen"}


def drain(world: World) -> int:
    return world.drain(get_settings().letters_queue_name, "render_letters")


def download(url: str) -> PdfReader:
    """The object behind a presigned URL (moto in-process has no HTTP endpoint to fetch it from)."""
    parsed = urlparse(url)
    assert "Signature=" in parsed.query or "X-Amz-Signature=" in parsed.query
    bucket = get_settings().files_bucket
    key = unquote(parsed.path.lstrip("/").removeprefix(f"{bucket}/"))
    body = aws.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read()
    assert body[:5] == b"%PDF-"
    return PdfReader(io.BytesIO(body))


def flat(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\u00a0", " ").split())


@pytest.fixture
def mailing(world: World) -> dict[str, str]:
    settings = ok(world.get("/settings"))
    ok(
        world.patch(
            "/settings",
            {
                "version": settings["version"],
                "name": "Ville-Démo",
                "letterhead": "Mairie de Ville-Démo\nCabinet du Maire\n1 place de l'Hôtel de Ville",
                "signatory_name": "Claire Martin",
                "signatory_function": "Maire de Ville-Démo",
            },
        )
    )
    return {
        "prefete": holder(
            world,
            "Beaulieu",
            "Mme",
            {"function": "prefet", "territory": {"kind": "departement", "code": "76"}},
            first_name="Sophie",
            address=ADDRESS,
        ),
        "citoyen": holder(
            world,
            "Dupont",
            "M",
            first_name="Jean",
            address={
                "lines": ["12 rue des Carmes", "Bâtiment B"],
                "postcode": "76100",
                "city": "Saint-Étienne-du-Rouvray",
            },
        ),
        "sans_adresse": holder(world, "Nomade", "Mme", first_name="Léa"),
    }


def start(world: World, body: dict[str, Any], role: str = "admin") -> Any:
    return world.post("/letters", body, role=role)


def run(world: World, body: dict[str, Any]) -> dict[str, Any]:
    job = ok(start(world, body), 202)
    assert job["status"] == "queued" and job["pdf_url"] is None
    assert drain(world) == 1
    return ok(world.get(f"/letters/{job['id']}"))


def test_a_mailing_prints_one_page_per_recipient_with_the_forms_of_address(world, mailing):
    body = {
        "contact_ids": [mailing["prefete"], mailing["citoyen"], mailing["sans_adresse"]],
        "template": "voeux",
        "subject": "Vœux 2027",
        "date": "2027-01-02",
    }
    job = run(world, body)
    assert job["status"] == "done" and job["total"] == 3 and job["done"] == 3 and job["printed"] == 2
    assert job["skipped"] == [{"contact_id": mailing["sans_adresse"], "reason": job["skipped"][0]["reason"]}]
    assert "code postal" in job["skipped"][0]["reason"]
    letters = download(job["pdf_url"])
    assert len(letters.pages) == job["pages"] == 2
    first, second = (flat(page.extract_text()) for page in letters.pages)
    assert "Madame la Préfète," in first
    assert "l'expression de ma haute considération" in first or "expression de ma très haute considération" in first
    assert "Ville-Démo, le 2 janvier 2027" in first and "Objet : Vœux 2027" in first
    assert "au nom du conseil municipal de Ville-Démo" in first  # the stored body, rendered
    assert "Mairie de Ville-Démo" in first and "Claire Martin" in first and "Maire de Ville-Démo" in first
    assert "76000 ROUEN" in first and "7 place de la Madeleine" in first
    assert "Monsieur," in second and "76100 SAINT ETIENNE DU ROUVRAY" in second  # AFNOR last line
    labels = flat(download(job["labels_url"]).pages[0].extract_text())
    assert "76000 ROUEN" in labels and "76100 SAINT ETIENNE DU ROUVRAY" in labels and "Nomade" not in labels


def test_the_address_shows_through_the_window_of_a_dl_envelope(world, mailing):
    job = run(world, {"contact_ids": [mailing["prefete"]], "body": "Bonjour."})
    placed: dict[str, tuple[float, float]] = {}

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if text.strip():
            placed.setdefault(text.strip(), (tm[4] * 25.4 / 72, 297 - tm[5] * 25.4 / 72))

    download(job["pdf_url"]).pages[0].extract_text(visitor_text=visit)
    zone = address_zone()
    for line in ("7 place de la Madeleine", "76000 ROUEN"):
        x, baseline = next(pos for text, pos in placed.items() if line in text)
        assert zone.x - 0.5 <= x <= zone.x + zone.w and zone.y <= baseline <= zone.y + zone.h, (line, x, baseline)


def test_each_printed_letter_is_in_the_recipients_history_once(world, mailing):
    body = {"contact_ids": [mailing["prefete"], mailing["sans_adresse"]], "template": "information"}
    job = ok(start(world, body), 202)
    message = aws.sqs().receive_message(QueueUrl=aws.queue_url(get_settings().letters_queue_name))["Messages"][0]
    letters_service.process_message(message["Body"])
    letters_service.process_message(message["Body"])  # redelivered: the job is done, nothing happens twice
    history = ok(world.get(f"/contacts/{mailing['prefete']}/interactions"))["items"]
    letters = [i for i in history if i["kind"] == "letter"]
    assert len(letters) == 1 and "Courrier d'information" in letters[0]["summary"]
    assert not [i for i in ok(world.get(f"/contacts/{mailing['sans_adresse']}/interactions"))["items"]]
    assert ok(world.get(f"/letters/{job['id']}"))["status"] == "done"


def test_a_job_failing_on_its_last_delivery_says_so(world, mailing, monkeypatch):
    job = ok(start(world, {"contact_ids": [mailing["prefete"]], "template": "information"}), 202)
    body = aws.sqs().receive_message(QueueUrl=aws.queue_url(get_settings().letters_queue_name))["Messages"][0]["Body"]

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("S3 unreachable")

    monkeypatch.setattr(printed_letters, "label_sheet", broken)  # the job imports it when it runs
    with pytest.raises(RuntimeError):
        letters_service.process_message(body, attempt=1)  # SQS will redeliver
    assert ok(world.get(f"/letters/{job['id']}"))["status"] == "running"
    letters_service.process_message(body, attempt=letters_service.MAX_ATTEMPTS)
    failed = ok(world.get(f"/letters/{job['id']}"))
    assert failed["status"] == "failed" and "relancez" in failed["error"] and failed["pdf_url"] is None


@pytest.mark.parametrize(
    ("patch", "field", "words"),
    [
        pytest.param({"template": "voeux", "body": "x"}, "body", "soit", id="template-and-body"),
        pytest.param({}, "body", "soit", id="neither"),
        pytest.param({"template": "inconnu"}, "template", "Modèle inconnu", id="unknown-template"),
        pytest.param({"body": "Bonjour {{ contact.first_name "}, "body", "ligne 1", id="syntax-error"),
        pytest.param({"body": "Bonjour {{ prenom }}"}, "body", "prenom", id="unknown-variable"),
        pytest.param({"body": "Bonjour {{ contact.prenom }}"}, "body", "ne peut pas être appliqué", id="no-attribute"),
        pytest.param({"body": "{{ contact.__class__ }}"}, "body", "ne peut pas être appliqué", id="sandboxed"),
        pytest.param({"template": "voeux", "sender_function": "roi"}, "sender_function", "inconnue", id="sender"),
        pytest.param({"template": "voeux", "date": "1789-07-14"}, "date", "", id="implausible-date"),
    ],
)
def test_bad_requests_are_refused_before_any_job(world, mailing, patch, field, words):
    response = start(world, {"contact_ids": [mailing["prefete"]], **patch})
    assert response.status_code == 422, response.body
    details = response.json_body["error"]["details"]
    assert any(d["field"] == field and words in d["message"] for d in details), details
    assert drain(world) == 0


def test_unknown_and_duplicate_recipients(world, mailing):
    unknown = start(world, {"contact_ids": [mailing["prefete"], "01J00000000000000000000000"], "template": "voeux"})
    assert unknown.status_code == 404
    twice = start(world, {"contact_ids": [mailing["prefete"]] * 2, "template": "voeux"})
    assert twice.status_code == 422
    assert twice.json_body["error"]["details"][0]["field"] == "contact_ids"
    assert drain(world) == 0


def test_the_stored_templates_are_listed_with_their_variables(world):
    listed = {t["name"]: t for t in ok(world.get("/letters/templates", role="lecteur"))["items"]}
    assert {"voeux", "information", "felicitations"} <= set(listed)
    assert listed["voeux"]["label"] == "Vœux de nouvelle année" and listed["voeux"]["variables"] == ["tenant"]


def test_a_reader_cannot_start_a_mailing_and_another_tenant_cannot_see_it(world, mailing):
    assert start(world, {"contact_ids": [mailing["prefete"]], "template": "voeux"}, role="lecteur").status_code == 403
    job = ok(start(world, {"contact_ids": [mailing["prefete"]], "template": "voeux"}), 202)
    assert world.get(f"/letters/{job['id']}", tenant="liste").status_code == 404


# --- bounds on user-written bodies: 200 KB of output, 10,000 loop iterations, 2 seconds per render ----------------

NESTED = "{% for a in range(100000) %}{% for b in range(100000) %}{% for c in range(100000) %}{{ a ~ b ~ c }}"
REPORTED = NESTED + "{% endfor %}{% endfor %}{% endfor %}"  # the report's body: 11.6 GB in 60 s on `make run`


@pytest.mark.parametrize(
    ("body", "words"),
    [
        pytest.param(REPORTED, "tours de boucle", id="the-reported-body"),
        pytest.param("{% for a in range(200) %}{% for b in range(60) %}{% endfor %}{% endfor %}", "tours", id="loops"),
        pytest.param(
            "{% for i in range(6000) %}{% endfor %}{% for i in range(6000) %}{% endfor %}", "tours", id="per-render"
        ),
        pytest.param(
            "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(30) }}",
            "tours",
            id="macro-recursion",
        ),
        pytest.param(
            "{% for i in range(3000) %}{{ 'Lorem ipsum dolor sit amet. ' * 3 }}{% endfor %}", "Ko", id="text-in-a-loop"
        ),
        pytest.param("{{ 'x' * 10 ** 7 }}", "Ko", id="repeat"),
        pytest.param("{{ 'x'|center(10 ** 8) }}", "Ko", id="center"),
        pytest.param("{{ '%300000s' % 'x' }}", "Ko", id="printf-width"),
        pytest.param("{{ '{:>300000}'.format('x') }}", "Ko", id="format-width"),
        pytest.param("{{ 10 ** (10 ** 10) }}", "chiffres", id="power"),  # Jinja groups ** from the left
        pytest.param("{{ ['x' * 1000] * 300 }}", "Ko", id="list-repeat"),
        pytest.param("{{ range(9000)|map('string')|join(' ' * 30) }}", "Ko", id="join"),
        pytest.param("{{ ('a b ' * 5000)|wordwrap(1, wrapstring='-' * 30) }}", "Ko", id="wordwrap"),
        pytest.param("{{ ('a\n' * 5000)|indent(width=60) }}", "Ko", id="indent"),
        pytest.param("{{ 'abc'|replace('', 'x' * 100000) }}", "Ko", id="replace"),
        pytest.param("{% set a = 'x' * 150000 %}{% set b = a ~ a %}", "Ko", id="concat"),
        pytest.param("{% set a %}{% for i in range(9000) %}{{ '.' * 30 }}{% endfor %}{% endset %}", "Ko", id="capture"),
        pytest.param("{{ lipsum(100000) }}", "lipsum", id="lipsum-is-not-offered"),
    ],
)
def test_a_body_over_a_bound_is_refused_at_submission(world, mailing, body, words):
    with fenced():
        response = start(world, {"contact_ids": [mailing["prefete"]], "body": body})
    assert response.status_code == 422, response.body
    assert response.json_body["error"]["details"] == [{"field": "body", "message": ANY}]
    assert words in response.json_body["error"]["details"][0]["message"]
    assert drain(world) == 0


SLOW = "{% for i in range(1000) %}{% set s = range(2000)|list|sort|join(',') %}{% endfor %}"  # 1-2 s, no output


def test_a_body_rendering_for_too_long_is_refused_at_submission(world, mailing, monkeypatch):
    monkeypatch.setenv("AGORA_TEMPLATE_MAX_SECONDS", "0.05")  # the bound is a setting: the test need not wait 2 s
    reset_settings()
    with fenced():
        response = start(world, {"contact_ids": [mailing["prefete"]], "body": SLOW})
    assert response.status_code == 422, response.body
    message = response.json_body["error"]["details"][0]["message"]
    assert response.json_body["error"]["details"][0]["field"] == "body" and "0,05 seconde" in message, message


def test_bodies_within_the_bounds_are_printed(world, mailing):
    body = (
        "{% for i in range(3) %}{{ loop.index }}. {{ contact.last_name|upper }}{% endfor %}\n\n"
        "{{ '%s, %s' % (tenant.name, date) }} {{ '{:>6}'.format('ok') }} {{ ['a', 'b']|join('-') }}"
    )
    job = run(world, {"contact_ids": [mailing["prefete"]], "body": body})
    assert job["status"] == "done" and job["printed"] == 1
    text = flat(download(job["pdf_url"]).pages[0].extract_text())
    assert "1. BEAULIEU2. BEAULIEU3. BEAULIEU" in text and "Ville-Démo, " in text and "ok a-b" in text


@pytest.mark.parametrize(
    ("body", "words"),
    [
        # The trial render has empty contact fields: these bodies pass it and break with a real name.
        pytest.param("{{ 'x' * (contact.last_name|length * 40000) }}", "Ko", id="output"),
        pytest.param("{% for i in range(contact.last_name|length * 2000) %}{% endfor %}", "tours", id="iterations"),
        pytest.param(
            "{% for i in range(contact.last_name|length * 200) %}{% set s = range(2000)|list|sort %}{% endfor %}",
            "seconde",
            id="time",
        ),
    ],
)
def test_a_job_whose_body_breaks_a_bound_with_a_recipient_fails_at_once(world, mailing, monkeypatch, body, words):
    if words == "seconde":
        monkeypatch.setenv("AGORA_TEMPLATE_MAX_SECONDS", "0.05")
        reset_settings()
    job = ok(start(world, {"contact_ids": [mailing["citoyen"], mailing["prefete"]], "body": body}), 202)
    with fenced():
        assert drain(world) == 1  # first delivery, and no failure reported to SQS: a retry would break the same bound
    failed = ok(world.get(f"/letters/{job['id']}"))
    assert failed["status"] == "failed" and failed["pdf_url"] is None and failed["printed"] == 0
    assert words in failed["error"] and mailing["citoyen"] in failed["error"], failed["error"]
    assert not [i for i in ok(world.get(f"/contacts/{mailing['citoyen']}/interactions"))["items"]]
