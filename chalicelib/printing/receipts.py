"""The reçu-don of a campaign gift as a PDF to send or print.

Article L52-10 of the Code électoral: the mandataire gives the donor a receipt on the model of the Commission
nationale des comptes de campagne et des financements politiques (CNCCFP), whose numbered forms (souches) it issues.
The official form's layout is NOT reproduced here (it could not be checked against a copy of the current model): this
document carries the model's content — the CNCCFP receipt number, the donor, the amount in figures and in words, the
date and method of payment, the candidate and the mandataire, the tax-reduction mention — so that it can be sent or
printed beside, or copied onto, the numbered form.
"""

from __future__ import annotations

from dataclasses import dataclass

from chalicelib.domain.typography import french_spacing
from chalicelib.printing.document import FAMILY, Document


@dataclass(frozen=True)
class Receipt:
    number: str
    election: str
    candidate: str
    mandataire: str
    mandataire_address: list[str]
    donor: str
    donor_address: list[str]
    amount_figures: str
    amount_words: str
    day: str  # « 15 janvier 2027 »
    method: str
    tax_mention: str


def receipt_pdf(r: Receipt) -> bytes:
    doc = Document(f"Reçu-don n° {r.number}", numbered=False)
    doc.add_page()
    doc.set_font(FAMILY, "B", 14)
    doc.multi_cell(0, 7, french_spacing(f"Reçu-don n° {r.number}"), new_x="LMARGIN", new_y="NEXT")
    doc.set_font(FAMILY, size=10)
    doc.multi_cell(
        0,
        5,
        french_spacing(
            "Don d'une personne physique à un candidat pour le financement de sa campagne électorale (articles L52-8 "
            "et L52-10 du Code électoral). Numéro attribué par la CNCCFP."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    doc.ln(4)
    sections: list[tuple[str, list[str]]] = [
        ("Élection", [r.election]),
        ("Candidat", [r.candidate]),
        ("Mandataire financier", [r.mandataire, *r.mandataire_address]),
        ("Donateur", [r.donor, *r.donor_address]),
        ("Montant", [r.amount_figures, r.amount_words]),
        ("Date du don", [r.day]),
        ("Mode de versement", [r.method]),
    ]
    for title, lines in sections:
        doc.set_font(FAMILY, "B", 11)
        doc.multi_cell(0, 6, french_spacing(title), new_x="LMARGIN", new_y="NEXT")
        doc.set_font(FAMILY, size=11)
        for line in lines:
            if line:
                doc.multi_cell(0, 5.5, french_spacing(line), new_x="LMARGIN", new_y="NEXT")
        doc.ln(2)
    doc.ln(4)
    doc.set_font(FAMILY, size=9)
    doc.multi_cell(0, 4.8, french_spacing(r.tax_mention), align="J", new_x="LMARGIN", new_y="NEXT")
    doc.ln(10)
    doc.set_font(FAMILY, size=11)
    doc.multi_cell(0, 5.5, "Signature du mandataire financier :", new_x="LMARGIN", new_y="NEXT")
    return doc.bytes()
