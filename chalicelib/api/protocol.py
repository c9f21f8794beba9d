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
)
from chalicelib.services import address_forms, contacts, protocol

api = Api(__name__, "protocol")

PDF = "application/pdf"


@api.route(
    "/protocol/functions",
    "GET",
    summary="Function catalogue: titles, ranks (décret 89-655 art. 2 and 3)",
    response=Page[FunctionInfo],
)
def list_functions(ctx: Ctx) -> dict[str, Any]:
    ctx.user  # noqa: B018  (authenticated like every non-public route)
    return whole_list(protocol.functions_catalogue())


@api.route(
    "/protocol/precedence",
    "POST",
    summary="Order of precedence of the people attending a ceremony",
    body=PrecedenceRequest,
    response=OrderOut,
    errors=(404, 422),
    produces=(PDF,),
)
def order_of_precedence(ctx: Ctx) -> dict[str, Any] | Response:
    req = ctx.body(PrecedenceRequest)
    if ctx.accepts(PDF):
        return file_response(protocol.precedence_pdf(ctx.user, req), PDF, "ordre-de-preseance.pdf")
    return protocol.precedence_order(ctx.user, req)


@api.route(
    "/protocol/speaking-order",
    "POST",
    summary="Speaking order: the highest authority last (art. 19)",
    body=SpeakingOrderRequest,
    response=OrderOut,
    errors=(404, 422),
    produces=(PDF,),
)
def order_of_speeches(ctx: Ctx) -> dict[str, Any] | Response:
    req = ctx.body(SpeakingOrderRequest)
    if ctx.accepts(PDF):
        return file_response(protocol.speaking_order_pdf(ctx.user, req), PDF, "ordre-des-prises-de-parole.pdf")
    return protocol.speaking_order(ctx.user, req)


@api.route(
    "/protocol/seating",
    "POST",
    summary="Seating plan (art. 16) with an SVG drawing",
    body=SeatingRequest,
    response=SeatingOut,
    errors=(404, 422),
    produces=(PDF,),
)
def seating_plan(ctx: Ctx) -> dict[str, Any] | Response:
    req = ctx.body(SeatingRequest)
    if ctx.accepts(PDF):
        return file_response(protocol.seating_pdf(ctx.user, req), PDF, "plan-de-placement.pdf")
    return protocol.seating_plan(ctx.user, req)


@api.route(
    "/protocol/place-cards",
    "POST",
    summary="Place cards (chevalets), two per A4 sheet, in precedence order; send Accept: application/pdf",
    body=PrecedenceRequest,
    errors=(404, 406, 422),
    produces=(PDF,),
)
def place_cards(ctx: Ctx) -> Response:
    ctx.require_accept(PDF)
    return file_response(protocol.place_cards_pdf(ctx.user, ctx.body(PrecedenceRequest)), PDF, "chevalets.pdf")


@api.route(
    "/contacts/{contact_id}/address-forms",
    "GET",
    summary="Formule d'appel, closing, address block, envelope",
    query=AddressFormsQuery,
    response=AddressFormsOut,
    errors=(404, 422),
)
def contact_address_forms(ctx: Ctx, contact_id: str) -> dict[str, Any]:
    item = contacts.load(ctx.user, contact_id)
    return address_forms.for_contact(ctx.user, item, ctx.query(AddressFormsQuery))
