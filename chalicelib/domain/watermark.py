"""The Agora export watermark: where a file came from, so that an import can refuse what it must not take.

Why. Data never moves between an `institution` tenant (commune, EPCI, département) and a `political` one
(élu, candidate, party):
- Code électoral art. L52-8: legal persons other than parties may not take part in funding a campaign, « ni en
  lui consentant des dons sous quelque forme que ce soit, ni en lui fournissant des biens, services ou autres
  avantages directs ou indirects »; a collectivity's file handed to a campaign is such a good or service.
- CNIL, délibération n° 2012-020 du 26 janvier 2012 and fiche « La communication politique, mode d'emploi »:
  « les fichiers des administrations ou des collectivités locales » cannot be used for political communication.
- CNIL, « Élections : sept réflexes pour une campagne responsable » (30 January 2026), « Cloisonnez vos
  fichiers »: files reached through an institutional function may not serve political prospecting, and
  conversely a political file cannot be reused for other (institutional, professional) purposes.

How. Every export writes `line(...)` first (a CSV comment line), e.g.
``# agora-export v1; tenant=t-ville; kind=institution; exported=2026-11-22T08:00:00Z``; every import looks for
it with `find` in the first bytes of the file and asks `refusal` whether the importing tenant may take it.
Strict in writing (`line` checks what it writes), liberal in reading (`find` accepts a byte-order mark,
Windows-1252, any case and spacing, the mark quoted in a CSV cell of any column, cells re-split by a
spreadsheet, a missing version or key).

Limits. Deleting the line defeats it: this is a guard against mistakes (a file exported in one workspace and
imported in the other), not against fraud. The other half is the export's own audit log entry, which says who
took which data out of which workspace, and when.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from datetime import UTC, datetime

INSTITUTION = "institution"
POLITICAL = "political"
KINDS = (INSTITUTION, POLITICAL)
VERSION = 1

_TENANT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
# The tag, then its version if any ("agora-export v1"; tolerant of case, spacing, "agora_export").
_TAG = re.compile(r"agora[-_ ]?export[ \t]*(?:v[ \t]*(\d+))?", re.IGNORECASE)
# key=value pairs on the rest of the tag's line; a value ends at any CSV delimiter or quote.
_PAIR = re.compile(r"([a-z_]+)[ \t]*=[ \t]*([^;,\"\t\r\n]*)", re.IGNORECASE)
_KEYS = {"tenant": "tenant", "tenant_id": "tenant", "kind": "kind", "tenant_kind": "kind"}
_KEYS |= {"exported": "exported", "exported_at": "exported"}


@dataclass(frozen=True)
class Watermark:
    tenant_id: str  # "" when the mark does not say
    kind: str  # lower case, as read: may be unknown or "" (refusal() decides)
    exported_at: str | None


def line(tenant_id: str, kind: str, exported_at: str) -> str:
    """The watermark line an export writes first (without its line end): one strict format, checked here.

    ``exported_at`` is an ISO-8601 UTC time (``Z`` or ``+00:00``, fractions allowed); it is written to the second.
    """
    if not _TENANT_ID.fullmatch(tenant_id):
        raise ValueError(f"tenant id not writable in a watermark: {tenant_id!r}")
    if kind not in KINDS:
        raise ValueError(f"unknown tenant kind: {kind!r}")
    at = datetime.fromisoformat(exported_at)
    offset = at.utcoffset()
    if offset is None or offset.total_seconds() != 0:
        raise ValueError(f"exported_at must be a UTC time: {exported_at!r}")
    stamp = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"# agora-export v{VERSION}; tenant={tenant_id}; kind={kind}; exported={stamp}"


def _decode(sample: bytes) -> str:
    """UTF-8 (byte-order mark dropped, a character cut at the end of the sample tolerated), else Windows-1252."""
    try:
        return codecs.getincrementaldecoder("utf-8-sig")().decode(sample, final=False)
    except UnicodeDecodeError:
        return sample.decode("cp1252", errors="replace")


def find_all(sample: bytes) -> list[Watermark]:
    """Every watermark in ``sample`` (files pasted together may hold several), in the order they appear."""
    text = _decode(sample)
    marks = []
    for tag in _TAG.finditer(text):
        end = text.find("\n", tag.end())
        rest = text[tag.end() : None if end < 0 else end]
        values: dict[str, str] = {}
        for key, value in _PAIR.findall(rest):
            values.setdefault(_KEYS.get(key.lower(), ""), value.strip())
        if tag.group(1) is None and not ({"tenant", "kind"} & values.keys()):
            continue  # the words alone, neither version nor key: not a mark
        marks.append(Watermark(values.get("tenant", ""), values.get("kind", "").lower(), values.get("exported")))
    return marks


def find(sample: bytes) -> Watermark | None:
    """The first watermark anywhere in ``sample`` (the first bytes of a file), or None."""
    marks = find_all(sample)
    return marks[0] if marks else None


_FROM_INSTITUTION = (
    "Ce fichier porte la marque d'un export d'un espace institutionnel (collectivité ou administration) : il ne "
    "peut pas être importé dans un espace politique. Une collectivité ne peut participer au financement d'une "
    "campagne électorale, y compris en lui fournissant des biens ou des services, dont ses fichiers (Code "
    "électoral, art. L52-8), et la CNIL exclut de la communication politique « les fichiers des administrations "
    "ou des collectivités locales » (délibération n° 2012-020 du 26 janvier 2012 ; fiche « La communication "
    "politique, mode d'emploi »). Constituez plutôt votre fichier en recueillant les données directement auprès "
    "des personnes concernées, ou à partir de leur source publique (par exemple le Répertoire national des élus "
    "sur data.gouv.fr)."
)
_FROM_POLITICAL = (
    "Ce fichier porte la marque d'un export d'un espace politique (élu, candidat ou parti) : il ne peut pas être "
    "importé dans un espace institutionnel. La CNIL demande de cloisonner les fichiers : un fichier constitué pour "
    "une activité politique ne peut pas être réutilisé à d'autres fins, notamment par la collectivité (« Élections "
    ": sept réflexes pour une campagne responsable », 30 janvier 2026, « Cloisonnez vos fichiers »). Recueillez "
    "les données dont la collectivité a besoin directement auprès des personnes concernées, ou saisissez-les dans "
    "cet espace."
)
_FROM_UNKNOWN = (
    "Ce fichier porte la marque d'un export Agora dont la nature de l'espace d'origine est {kind} : faute de "
    "pouvoir vérifier qu'il ne vient pas d'un espace de l'autre nature, il ne peut pas être importé. Les fichiers "
    "d'une collectivité ne peuvent servir à une campagne (Code électoral, art. L52-8 ; CNIL), et un fichier "
    "politique ne peut servir à la collectivité (CNIL, « Cloisonnez vos fichiers »). Importez un export intact de "
    "cet espace, ou recueillez les données directement auprès des personnes concernées."
)


def refusal(importer_kind: str, importer_tenant_id: str, mark: Watermark | None) -> str | None:
    """Why the importing tenant may not take a file with this mark (a French message for the user), or None."""
    if mark is None or mark.tenant_id == importer_tenant_id or (mark.kind in KINDS and mark.kind == importer_kind):
        return None
    if mark.kind == INSTITUTION:
        return _FROM_INSTITUTION
    if mark.kind == POLITICAL:
        return _FROM_POLITICAL
    return _FROM_UNKNOWN.format(kind=f"inconnue (« {mark.kind[:40]} »)" if mark.kind else "non indiquée")
