"""Protocol data the tests of several modules share."""

from __future__ import annotations

# The function codes every table of the protocol must know: the catalogue (functions.py) and the forms of address
# (address_forms.py) each have a row for every one of them.
REQUIRED_CODES = (
    "president_republique",
    "premier_ministre",
    "ministre",
    "prefet_region",
    "prefet",
    "sous_prefet",
    "depute",
    "senateur",
    "depute_europeen",
    "president_conseil_regional",
    "president_conseil_departemental",
    "maire",
    "maire_delegue",
    "president_epci",
    "vice_president_conseil_regional",
    "vice_president_conseil_departemental",
    "adjoint_maire",
    "conseiller_regional",
    "conseiller_departemental",
    "conseiller_municipal",
    "conseiller_communautaire",
    "recteur",
    "procureur",
    "president_tribunal_judiciaire",
    "general",
    "dgs_region",
    "dgs_departement",
    "secretaire_general_mairie",
    "ambassadeur",
    "autre",
)
