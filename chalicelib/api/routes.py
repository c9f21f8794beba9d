"""The app's routes, declared without importing the modules that answer them: a module is imported on the first
request to one of its routes.

Every cold start of every function imports app.py; importing the twenty-five route modules, with their services
and contract models, tripled that import for a request that needs one of them (bench/cold_start.py). So app.py
registers each route from this manifest on the Chalice app, with a thin view that imports the route's module on
its first call and hands the request to the answer that `Api.route` recorded (api/http.py: role checks,
idempotency and errors stay there). The preflights and the catch-all 404 of unknown paths need no module at all.
The manifest is checked against what the modules declare (tests/unit/test_route_manifest.py): a route added to
a module and not here fails that test, which prints the line to add.

The OpenAPI document and the tests' contract check read every route's models: `all_routes()` imports every module
first.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TYPE_CHECKING, Any, cast

from chalice.app import Response

from chalicelib.api import cors
from chalicelib.api.http import FORM, JSON, Api, RouteDoc, authorizer_for, error_response
from chalicelib.errors import NotFound

if TYPE_CHECKING:
    from chalice.app import Chalice, Request

CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MULTIPART = "multipart/form-data"

# (method, path, module under chalicelib/api, handler's name[, request media types when not JSON only]), in the
# order the modules declare them (the OpenAPI document's order).
ROUTES: tuple[tuple[Any, ...], ...] = (
    # audit
    ("GET", "/audit", "audit", "list_audit"),
    # campaigns
    ("GET", "/campaigns/templates", "campaigns", "list_campaign_templates"),
    ("POST", "/campaigns", "campaigns", "create_campaign"),
    ("GET", "/campaigns", "campaigns", "list_campaigns"),
    ("GET", "/campaigns/{campaign_id}", "campaigns", "get_campaign"),
    ("PATCH", "/campaigns/{campaign_id}", "campaigns", "patch_campaign"),
    ("POST", "/campaigns/{campaign_id}/test", "campaigns", "test_campaign"),
    ("GET", "/campaigns/{campaign_id}/preview", "campaigns", "preview_campaign"),
    ("POST", "/campaigns/{campaign_id}/send", "campaigns", "send_campaign"),
    ("POST", "/campaigns/{campaign_id}/cancel", "campaigns", "cancel_campaign"),
    ("GET", "/campaigns/{campaign_id}/compliance", "campaigns", "campaign_compliance"),
    ("POST", "/campaigns/{campaign_id}/compliance/override", "campaigns", "override_campaign_compliance"),
    ("GET", "/campaigns/{campaign_id}/report", "campaigns", "campaign_report"),
    ("GET", "/reports/engagement", "campaigns", "engagement_report"),
    # consents
    ("GET", "/contacts/{contact_id}/consents", "consents", "list_consents"),
    ("PUT", "/contacts/{contact_id}/consents/{channel}", "consents", "put_consent"),
    # consultations
    ("POST", "/consultations", "consultations", "create_consultation"),
    ("GET", "/consultations", "consultations", "list_consultations"),
    ("GET", "/consultations/{consultation_id}", "consultations", "get_consultation"),
    ("PATCH", "/consultations/{consultation_id}", "consultations", "patch_consultation"),
    ("POST", "/consultations/{consultation_id}/publish", "consultations", "publish_consultation"),
    (
        "POST",
        "/consultations/{consultation_id}/compliance/override",
        "consultations",
        "override_consultation_compliance",
    ),
    ("GET", "/consultations/{consultation_id}/results", "consultations", "consultation_results"),
    # contacts
    ("POST", "/contacts", "contacts", "create_contact"),
    ("GET", "/contacts", "contacts", "list_contacts"),
    ("GET", "/contacts/{contact_id}", "contacts", "get_contact"),
    ("PATCH", "/contacts/{contact_id}", "contacts", "patch_contact"),
    ("DELETE", "/contacts/{contact_id}", "contacts", "delete_contact"),
    ("POST", "/contacts/{contact_id}/interactions", "contacts", "create_interaction"),
    ("GET", "/contacts/{contact_id}/interactions", "contacts", "list_interactions"),
    # donations
    ("POST", "/candidacies", "donations", "create_candidacy"),
    ("GET", "/candidacies", "donations", "list_candidacies"),
    ("GET", "/candidacies/{candidacy_id}", "donations", "get_candidacy"),
    ("PATCH", "/candidacies/{candidacy_id}", "donations", "patch_candidacy"),
    ("POST", "/donations", "donations", "create_donation"),
    ("GET", "/donations/ledger", "donations", "donation_ledger"),
    ("GET", "/donations/limits", "donations", "donation_limits"),
    ("PUT", "/donations/limits", "donations", "set_donation_limits"),
    ("GET", "/donations/{donation_id}", "donations", "get_donation"),
    ("PUT", "/donations/{donation_id}/receipt-number", "donations", "put_receipt_number"),
    ("POST", "/donations/{donation_id}/cancel", "donations", "cancel_donation"),
    ("GET", "/donations/{donation_id}/receipt", "donations", "donation_receipt"),
    # duplicates
    ("GET", "/duplicates", "duplicates", "list_duplicates"),
    ("POST", "/duplicates/scan", "duplicates", "scan_duplicates"),
    ("POST", "/duplicates/dismiss", "duplicates", "dismiss_duplicates"),
    ("POST", "/duplicates/merge", "duplicates", "merge_duplicates"),
    ("POST", "/duplicates/merges/{merge_id}/undo", "duplicates", "undo_merge"),
    # elections
    ("GET", "/elections", "elections", "list_elections"),
    ("POST", "/elections", "elections", "create_election"),
    ("GET", "/elections/windows", "elections", "list_windows"),
    ("GET", "/elections/{election_id}", "elections", "get_election"),
    ("PATCH", "/elections/{election_id}", "elections", "patch_election"),
    # events
    ("POST", "/events", "events", "create_event"),
    ("GET", "/events", "events", "list_events"),
    ("GET", "/events/{event_id}", "events", "get_event"),
    ("PATCH", "/events/{event_id}", "events", "update_event"),
    ("DELETE", "/events/{event_id}", "events", "delete_event"),
    ("POST", "/events/{event_id}/copy", "events", "copy_event"),
    ("GET", "/events/{event_id}/compliance", "events", "get_compliance"),
    ("POST", "/events/{event_id}/compliance/override", "events", "override_compliance"),
    # exports
    ("GET", "/contacts/export", "exports", "export_contacts"),
    ("GET", "/exports/{export_id}", "exports", "get_export"),
    ("GET", "/contacts/{contact_id}/export", "exports", "export_person"),
    # protocol
    ("GET", "/protocol/functions", "protocol", "list_functions"),
    ("POST", "/protocol/precedence", "protocol", "order_of_precedence"),
    ("POST", "/protocol/speaking-order", "protocol", "order_of_speeches"),
    ("POST", "/protocol/seating", "protocol", "seating_plan"),
    ("POST", "/protocol/place-cards", "protocol", "place_cards"),
    ("GET", "/contacts/{contact_id}/address-forms", "protocol", "contact_address_forms"),
    # guests
    ("POST", "/events/{event_id}/invitations", "guests", "invite"),
    ("GET", "/events/{event_id}/invitations/preview", "guests", "preview_invitation"),
    ("POST", "/events/{event_id}/invitations/send", "guests", "send_invitations"),
    ("GET", "/events/{event_id}/guests", "guests", "list_guests"),
    ("POST", "/events/{event_id}/guests/{invitation_id}/answer", "guests", "answer_for_guest"),
    ("POST", "/events/{event_id}/checkin", "guests", "check_in"),
    ("GET", "/events/{event_id}/stats", "guests", "event_stats"),
    ("GET", "/events/{event_id}/speaking-order", "guests", "event_speaking_order"),
    ("GET", "/events/{event_id}/seating", "guests", "event_seating"),
    ("GET", "/events/{event_id}/attendance-sheet", "guests", "attendance_sheet"),
    ("GET", "/events/{event_id}/badges", "guests", "name_badges"),
    # imports
    ("POST", "/imports", "imports", "create_import"),
    ("POST", "/imports/rne", "imports", "import_rne", (CSV,)),
    ("POST", "/imports/contacts", "imports", "import_contacts", (CSV, XLSX)),
    ("POST", "/imports/{import_id}/commit", "imports", "commit_import"),
    ("GET", "/imports/{import_id}/errors.csv", "imports", "import_errors"),
    ("GET", "/imports/{import_id}", "imports", "get_import"),
    # inbox
    ("GET", "/inbox", "inbox", "list_inbox"),
    ("POST", "/inbox/{inbox_id}/assign", "inbox", "assign_inbox_message"),
    # letters
    ("POST", "/letters", "letters", "create_letters"),
    ("GET", "/letters/templates", "letters", "list_letter_templates"),
    ("GET", "/letters/{letter_id}", "letters", "get_letters"),
    # mandates
    ("POST", "/contacts/{contact_id}/mandates", "mandates", "create_mandate"),
    ("GET", "/contacts/{contact_id}/mandates", "mandates", "list_contact_mandates"),
    ("PATCH", "/contacts/{contact_id}/mandates/{mandate_id}", "mandates", "patch_mandate"),
    ("DELETE", "/contacts/{contact_id}/mandates/{mandate_id}", "mandates", "delete_mandate"),
    ("GET", "/mandates", "mandates", "list_mandates"),
    # privacy_requests
    ("GET", "/public/privacy/{tenant_id}", "privacy_requests", "privacy_form"),
    ("POST", "/public/privacy/{tenant_id}", "privacy_requests", "privacy_submit", (FORM,)),
    ("GET", "/public/privacy/verify/{token}", "privacy_requests", "privacy_verify"),
    ("GET", "/privacy-requests", "privacy_requests", "list_privacy_requests"),
    ("PATCH", "/privacy-requests/{request_id}", "privacy_requests", "close_privacy_request"),
    # public
    ("GET", "/public/rsvp/{token}", "public", "rsvp_page"),
    ("POST", "/public/rsvp/{token}", "public", "rsvp_answer", (JSON, FORM)),
    ("GET", "/public/rsvp/{token}/event.ics", "public", "rsvp_calendar"),
    # public_consultations
    ("GET", "/public/consultations/{token}", "public_consultations", "consultation_page"),
    ("POST", "/public/consultations/{token}", "public_consultations", "consultation_answer", (JSON, FORM)),
    # retention
    ("GET", "/settings/retention", "retention", "get_policy"),
    ("PUT", "/settings/retention", "retention", "put_policy"),
    ("GET", "/retention/preview", "retention", "preview"),
    ("PUT", "/contacts/{contact_id}/legal-hold", "retention", "put_legal_hold"),
    # segments
    ("POST", "/segments", "segments", "create_segment"),
    ("GET", "/segments", "segments", "list_segments"),
    ("GET", "/segments/{segment_id}", "segments", "get_segment"),
    ("PATCH", "/segments/{segment_id}", "segments", "patch_segment"),
    ("DELETE", "/segments/{segment_id}", "segments", "delete_segment"),
    ("GET", "/segments/{segment_id}/preview", "segments", "preview_segment"),
    ("GET", "/segments/{segment_id}/contacts", "segments", "segment_contacts"),
    # system
    ("GET", "/health", "system", "health"),
    ("GET", "/openapi.json", "system", "openapi_json"),
    # tasks
    ("GET", "/tasks", "tasks", "list_tasks"),
    ("PATCH", "/tasks/{task_id}", "tasks", "patch_task"),
    # tenancy
    ("GET", "/settings", "tenancy", "get_settings"),
    ("PATCH", "/settings", "tenancy", "patch_settings"),
    ("GET", "/fields", "tenancy", "list_fields"),
    ("POST", "/fields", "tenancy", "create_field"),
    ("PATCH", "/fields/{name}", "tenancy", "patch_field"),
    ("DELETE", "/fields/{name}", "tenancy", "delete_field"),
    ("GET", "/users", "tenancy", "list_users"),
    ("POST", "/users", "tenancy", "create_user"),
    ("GET", "/users/{user_id}", "tenancy", "get_user"),
    ("PATCH", "/users/{user_id}", "tenancy", "patch_user"),
    ("DELETE", "/users/{user_id}", "tenancy", "delete_user"),
    # unsubscribe
    ("GET", "/public/unsubscribe/{token}", "unsubscribe", "unsubscribe_page"),
    ("POST", "/public/unsubscribe/{token}", "unsubscribe", "unsubscribe", (FORM, MULTIPART)),
    ("GET", "/public/s/{code}", "unsubscribe", "sms_stop_page"),
)

# API Gateway and chalice local answer a path matching no route with a 403 "Missing Authentication Token" of their
# own shape. These catch-alls (sorted after every real route) make the app answer 404 in the API's error shape
# instead, in every stage; deeper paths are covered in AWS by the MISSING_AUTHENTICATION_TOKEN gateway response
# (infra/).
_FALLBACK_DEPTH = 6
_FALLBACK_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def modules() -> list[str]:
    """The route modules, dotted, in the manifest's order."""
    return list(dict.fromkeys(f"chalicelib.api.{route[2]}" for route in ROUTES))


def register(app: Chalice) -> None:
    """Every route of the manifest on ``app``, its preflight, and the catch-alls; no route module is imported."""
    methods: dict[str, list[str]] = {}
    for method, path, module, name, *media in ROUTES:
        content_types = list(media[0]) if media else [JSON]
        app.route(path, methods=[method], content_types=content_types, authorizer=authorizer_for(path), name=name)(
            _lazy(app, method, path, f"chalicelib.api.{module}")
        )
        methods.setdefault(path, []).append(method)
    # One OPTIONS route per path, without authorizer (a preflight carries no credentials): API Gateway then lets it
    # reach the app, which answers for the methods the path has (api/cors.py).
    for number, (path, allowed) in enumerate(methods.items(), start=1):
        app.route(path, methods=["OPTIONS"], content_types=["*/*"], name=f"preflight_{number}")(
            _preflight(app, allowed)
        )
    for depth in range(1, _FALLBACK_DEPTH + 1):
        path = "".join(f"/{{fallback{n}}}" for n in range(1, depth + 1))
        app.route(path, methods=_FALLBACK_METHODS, content_types=["*/*"], name=f"unknown_route_{depth}")(_unknown_route)


def _lazy(app: Chalice, method: str, path: str, module: str) -> Callable[..., Response]:
    def view(**path_params: str) -> Response:
        answer = Api.views.get((method, path))
        if answer is None:
            import_module(module)
            answer = Api.views[(method, path)]
        return answer(app.current_request, app.lambda_context, **path_params)

    return view


def _preflight(app: Chalice, methods: list[str]) -> Callable[..., Response]:
    def preflight(**_: str) -> Response:
        return cors.preflight(cast("Request", app.current_request), methods)

    return preflight


def _unknown_route(**_: str) -> Response:
    return error_response(NotFound("Adresse inconnue."))


def all_routes() -> list[RouteDoc]:
    """Every route's declaration, its module imported: in the manifest's order, then the local stage's own."""
    for module in modules():
        import_module(module)
    order = {(route[0], route[1]): index for index, route in enumerate(ROUTES)}
    return sorted(Api.registry, key=lambda doc: order.get((doc.method, doc.path), len(order)))
