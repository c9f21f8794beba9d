"""/protocol: the function catalogue, precedence, speaking order, seating; forms of address of a contact."""

from __future__ import annotations

from typing import Any

from chalice.app import Response

from chalicelib.api.http import Api, Ctx, file_response
from chalicelib.schemas.common import Page, whole_list
from chalicelib.schemas.protocol import (
    AddressFormsOut,
    AddressFormsQuery,
    FunctionInfo,
    OrderOut,
    PrecedenceRequest,
    SeatingOut,
    SeatingRequest,
    SpeakingOrderRequest,
    address_forms_json,
    ceremony_of,
    function_info_json,
    layout_of,
    order_json,
    representations_of,
    seating_json,
)
from chalicelib.services import address_forms, contacts, protocol

api = Api(__name__, "protocol")

PDF = "application/pdf"


@api.get("/protocol/functions", response=Page[FunctionInfo])
def list_functions(ctx: Ctx) -> dict[str, Any]:
    """Function catalogue: titles, ranks (décret 89-655 art. 2 and 3)"""
    ctx.user  # noqa: B018  (authenticated like every non-public route)
    return whole_list([function_info_json(f) for f in protocol.functions_catalogue()])


@api.post("/protocol/precedence", body=PrecedenceRequest, response=OrderOut, errors=(404, 422), produces=(PDF,))
def order_of_precedence(ctx: Ctx) -> dict[str, Any] | Response:
    """Order of precedence of the people attending a ceremony"""
    req = ctx.body(PrecedenceRequest)
    ceremony, representations = ceremony_of(req), representations_of(req)
    if ctx.accepts(PDF):
        pdf = protocol.precedence_sheet(ctx.user, req.contact_ids, ceremony, representations, name=req.ceremony.name)
        return file_response(pdf, PDF, "ordre-de-preseance.pdf")
    return order_json(protocol.precedence_of(ctx.user, req.contact_ids, ceremony, representations))


@api.post("/protocol/speaking-order", body=SpeakingOrderRequest, response=OrderOut, errors=(404, 422), produces=(PDF,))
def order_of_speeches(ctx: Ctx) -> dict[str, Any] | Response:
    """Speaking order: the highest authority last (art. 19)"""
    return speaking_order_answer(ctx, ctx.body(SpeakingOrderRequest))


def speaking_order_answer(ctx: Ctx, req: SpeakingOrderRequest) -> dict[str, Any] | Response:
    """The speaking order as JSON, or its sheet when the client asks for the PDF (here and for an event)."""
    ceremony, representations, welcome = ceremony_of(req), representations_of(req), req.welcome_contact_id
    if ctx.accepts(PDF):
        pdf = protocol.speaking_order_sheet(
            ctx.user, req.contact_ids, ceremony, representations, welcome_contact_id=welcome, name=req.ceremony.name
        )
        return file_response(pdf, PDF, "ordre-des-prises-de-parole.pdf")
    order = protocol.speaking_order_of(ctx.user, req.contact_ids, ceremony, representations, welcome_contact_id=welcome)
    return order_json(order)


@api.post("/protocol/seating", body=SeatingRequest, response=SeatingOut, errors=(404, 422), produces=(PDF,))
def seating_plan(ctx: Ctx) -> dict[str, Any] | Response:
    """Seating plan (art. 16) with an SVG drawing"""
    return seating_answer(ctx, ctx.body(SeatingRequest))


def seating_answer(ctx: Ctx, req: SeatingRequest) -> dict[str, Any] | Response:
    """The seating plan as JSON with its drawing, or its sheet when the client asks for the PDF."""
    ceremony, representations, layout = ceremony_of(req), representations_of(req), layout_of(req)
    if ctx.accepts(PDF):
        pdf = protocol.seating_sheet(
            ctx.user, req.contact_ids, ceremony, representations, layout, name=req.ceremony.name
        )
        return file_response(pdf, PDF, "plan-de-placement.pdf")
    return seating_json(*protocol.seating_of(ctx.user, req.contact_ids, ceremony, representations, layout))


@api.post("/protocol/place-cards", body=PrecedenceRequest, errors=(404, 406, 422), answers={200: (PDF,)})
def place_cards(ctx: Ctx) -> Response:
    """Place cards (chevalets), two per A4 sheet, in precedence order; send Accept: application/pdf"""
    ctx.require_accept(PDF)
    req = ctx.body(PrecedenceRequest)
    pdf = protocol.place_cards(ctx.user, req.contact_ids, ceremony_of(req), representations_of(req))
    return file_response(pdf, PDF, "chevalets.pdf")


@api.get("/contacts/{contact_id}/address-forms", query=AddressFormsQuery, response=AddressFormsOut, errors=(404, 422))
def contact_address_forms(ctx: Ctx, contact_id: str) -> dict[str, Any]:
    """Formule d'appel, closing, address block, envelope"""
    item = contacts.load(ctx.user, contact_id)
    query = ctx.query(AddressFormsQuery)
    return address_forms_json(address_forms.for_contact(ctx.user, item, sender_function=query.sender_function))
