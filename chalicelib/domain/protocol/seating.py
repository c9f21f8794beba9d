"""Seating plans: places contact ids given in precedence order (highest first) on a row, two blocks around a central
aisle, or a table à la française, and draws the plan as an accessible SVG.

Sources:
- "row" and "two_blocks": décret n° 89-655 du 13 septembre 1989, article 16, verbatim (Légifrance JORFTEXT000000332354):
  « Lorsque les autorités sont placées côte à côte, l'autorité à laquelle la préséance est due se tient au centre. Les
  autres autorités sont placées alternativement à sa droite puis à sa gauche, du centre vers l'extérieur […] » and « en
  rangs successifs de part et d'autre d'une allée centrale, l'autorité à laquelle la préséance est due se tient à la
  gauche de la travée de droite. L'autorité occupant le second rang se tient à la droite de la travée de gauche. Les
  autres autorités sont placées […] rangée par rangée et, pour une même rangée, alternativement dans la travée de
  droite, puis dans la travée de gauche, du centre vers l'extérieur. »
- "table_francaise": usage, no legal text (aventureculinaire.fr « protocole français », Quid, savoir-vivre pages).

Conventions
-----------
- Everyone seated faces the same way: towards the stage, the monument or the tribune ("row", "two_blocks"),
  towards the table ("table_francaise").
- ``side`` ("right"/"left") is the right/left **of the seated people themselves**, the "droite" of article 16 and of
  protocol books (the droite of the host). That viewpoint is the usual reading, not stated in the text ❓.
- ``seat`` numbers run 1..n **from left to right as seen by the seated people**, i.e. as seen from the audience
  facing the stage when the authorities sit in the front rows. So, in a row, the right-hand side has the higher seat
  numbers: 5 people in a row of 5 get seats 3 (centre), 4 (right), 2 (left), 5 (right), 1 (left). If the authorities
  instead sit on a tribune facing the audience, the sides stay correct and the audience reads the numbers from right
  to left.
- ``row`` is 1-based, 1 = front (nearest the stage).
- "row": the centre seat of a row of n seats is seat (n + 1) // 2. With an even n the centre is the middle seat on
  the left, so that ranks 1 and 2 hold the two middle seats and the alternation right/left never breaks ❓ (usage
  for even rows not stated by the decree). A row is filled before the next one; a partly filled last row is centred.
- "two_blocks": ``seats_per_row`` is the number of seats of **each** block in a row. Seats are numbered across the
  whole row: 1..n in the left block (n on the aisle), n+1..2n in the right block (n+1 on the aisle). ``side`` is the
  block. Rank 1 takes the aisle seat of the right block, rank 2 the aisle seat of the left block, then alternately
  right block / left block moving outwards; the front row is filled before the next ("rangée par rangée", art. 16).
  Whether a partly filled row should be balanced otherwise is not stated ❓.
- "table_francaise": ``seats_per_row`` is the number of seats on **each long side**. Row 1 is the host's side, row 2
  the co-host's side; both rows are numbered in the same direction, so seat k of row 2 faces seat k of row 1. The
  host sits at seat (n + 1) // 2 of row 1, the co-host faces the host. Places of honour go by tiers: host's right,
  host's left, co-host's right, co-host's left, then one seat further out in the same order (usage: the second
  places of honour are at the co-host's right and left). ``side`` is relative to the person presiding that side
  (host in row 1, co-host in row 2); since they face each other, the co-host's right has the lower seat numbers.
  The variant where n° 2 sits at the co-host's right (traditional mixed-couple dinners, Quid) is not modelled ❓.
  Without ``host_contact_id`` the first of ``order`` presides. Without a co-host the seat facing the host goes to
  the guest after the host's right and left, who then presides the other side ❓ (usage assumption). The short ends
  of the table are not used; more guests than 2 × n raise ValueError.
- ``host_contact_id`` / ``cohost_contact_id`` must be in ``order`` for every kind; they only change the plan for
  "table_francaise" (for rows, the inviting authority's place already follows from the precedence order, art. 9).

Pure domain code: no AWS import.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

LayoutKind = Literal["row", "two_blocks", "table_francaise"]
Side = Literal["centre", "right", "left"]

LAYOUT_KINDS: tuple[str, ...] = ("row", "two_blocks", "table_francaise")


@dataclass(frozen=True)
class Layout:
    kind: LayoutKind
    seats_per_row: int
    host_contact_id: str | None = None
    cohost_contact_id: str | None = None


@dataclass(frozen=True)
class Seat:
    contact_id: str
    row: int  # 1-based, 1 = front (table: 1 = host's side, 2 = co-host's side)
    seat: int  # 1-based, left to right as seen by the seated people (see module docstring)
    side: Side  # right/left of the seated people; table: of the host (row 1) or co-host (row 2)


def _validate(order: list[str], layout: Layout) -> None:
    if layout.kind not in LAYOUT_KINDS:
        raise ValueError(f"Disposition inconnue : {layout.kind!r} (attendu : row, two_blocks ou table_francaise).")
    if isinstance(layout.seats_per_row, bool) or not isinstance(layout.seats_per_row, int):
        raise ValueError("Le nombre de places par rang doit être un entier.")
    if layout.seats_per_row < 1:
        raise ValueError("Le nombre de places par rang doit être au moins 1.")
    seen: set[str] = set()
    for contact_id in order:
        if contact_id in seen:
            raise ValueError(f"La personne {contact_id!r} figure deux fois dans l'ordre des préséances.")
        seen.add(contact_id)
    if layout.host_contact_id is not None and layout.host_contact_id not in seen:
        raise ValueError(f"L'hôte {layout.host_contact_id!r} ne figure pas parmi les personnes à placer.")
    if layout.cohost_contact_id is not None:
        if layout.cohost_contact_id not in seen:
            raise ValueError(f"Le co-hôte {layout.cohost_contact_id!r} ne figure pas parmi les personnes à placer.")
        if layout.cohost_contact_id == layout.host_contact_id:
            raise ValueError("L'hôte et le co-hôte doivent être deux personnes différentes.")


def _centre(n: int) -> int:
    return (n + 1) // 2


def _side_of(seat_number: int, centre: int) -> Side:
    if seat_number == centre:
        return "centre"
    return "right" if seat_number > centre else "left"


def _row_positions(n: int) -> list[int]:
    """Seat numbers of a row of n, in order of honour: centre, then right, left, right… (art. 16)."""
    centre = _centre(n)
    positions = [centre]
    for step in range(1, n):
        for candidate in (centre + step, centre - step):
            if 1 <= candidate <= n:
                positions.append(candidate)
    return positions


def _seat_row(order: list[str], n: int) -> list[Seat]:
    positions = _row_positions(n)
    centre = _centre(n)
    seats = []
    for index, contact_id in enumerate(order):
        row, within = divmod(index, n)
        number = positions[within]
        seats.append(Seat(contact_id, row + 1, number, _side_of(number, centre)))
    return seats


def _seat_two_blocks(order: list[str], n: int) -> list[Seat]:
    # Per row: right block aisle (n+1), left block aisle (n), right n+2, left n-1, … (art. 16, al. 3).
    positions: list[tuple[int, Side]] = []
    for step in range(n):
        positions.append((n + 1 + step, "right"))
        positions.append((n - step, "left"))
    seats = []
    for index, contact_id in enumerate(order):
        row, within = divmod(index, 2 * n)
        number, side = positions[within]
        seats.append(Seat(contact_id, row + 1, number, side))
    return seats


def _outwards(centre: int, n: int, right_is_higher: bool) -> list[tuple[int, Side] | None]:
    """Right then left seats around a presiding seat, one step further out each time; None when off the table."""
    sign = 1 if right_is_higher else -1
    result: list[tuple[int, Side] | None] = []
    for step in range(1, n):
        right, left = centre + sign * step, centre - sign * step
        result.append((right, "right") if 1 <= right <= n else None)
        result.append((left, "left") if 1 <= left <= n else None)
    return result


def _seat_table(order: list[str], layout: Layout) -> list[Seat]:
    n = layout.seats_per_row
    if len(order) > 2 * n:
        raise ValueError(f"Trop de convives ({len(order)}) pour une table de {2 * n} places ({n} par côté).")
    cohost = layout.cohost_contact_id
    candidates = [contact_id for contact_id in order if contact_id != cohost]
    host = layout.host_contact_id or (candidates[0] if candidates else None)
    centre = _centre(n)
    placed: dict[str, Seat] = {}
    if host is not None:
        placed[host] = Seat(host, 1, centre, "centre")
    guests = [contact_id for contact_id in order if contact_id not in (host, layout.cohost_contact_id)]
    if layout.cohost_contact_id is not None:
        placed[layout.cohost_contact_id] = Seat(layout.cohost_contact_id, 2, centre, "centre")

    host_side = _outwards(centre, n, right_is_higher=True)
    facing_side = _outwards(centre, n, right_is_higher=False)  # the co-host faces the host
    sequence: list[tuple[int, int, Side]] = []
    facing_centre_free = layout.cohost_contact_id is None
    for tier in range(0, len(host_side), 2):
        sequence.extend((1, number, side) for number, side in filter(None, host_side[tier : tier + 2]))
        if facing_centre_free:
            sequence.append((2, centre, "centre"))
            facing_centre_free = False
        sequence.extend((2, number, side) for number, side in filter(None, facing_side[tier : tier + 2]))
    if facing_centre_free:  # a table of one seat per side
        sequence.append((2, centre, "centre"))

    for contact_id, (row, number, side) in zip(guests, sequence, strict=False):
        placed[contact_id] = Seat(contact_id, row, number, side)
    return [placed[contact_id] for contact_id in order]


def seat(order: list[str], layout: Layout) -> list[Seat]:
    """Seats for the contact ids of ``order`` (precedence order, highest first), returned in that same order.

    Raises ValueError (French message) for an unknown layout kind, seats_per_row < 1, a duplicate id, a host or
    co-host not in ``order``, or too many guests for the table.
    """
    _validate(order, layout)
    if not order:
        return []
    if layout.kind == "row":
        return _seat_row(order, layout.seats_per_row)
    if layout.kind == "two_blocks":
        return _seat_two_blocks(order, layout.seats_per_row)
    return _seat_table(order, layout)


# --- SVG -------------------------------------------------------------------------------------------------------

_SEAT_W = 130
_SEAT_H = 46
_GAP = 10
_AISLE = 60
_MARGIN = 20
_BAND = 36  # height of the stage / table band
_MAX_LABEL = 20

_SIDE_FR = {"centre": "centre", "right": "droite", "left": "gauche"}
_KIND_FR = {
    "row": "rangées, placement de l'article 16 du décret n° 89-655",
    "two_blocks": "deux travées de part et d'autre d'une allée centrale (article 16 du décret n° 89-655)",
    "table_francaise": "table à la française (usage)",
}


def _text(x: float, y: float, content: str, size: int = 12, weight: str = "normal") -> str:
    return (
        f'<text x="{x:g}" y="{y:g}" font-size="{size}" font-weight="{weight}" text-anchor="middle" '
        f'font-family="sans-serif">{escape(content)}</text>'
    )


def _short(label: str) -> str:
    return label if len(label) <= _MAX_LABEL else label[: _MAX_LABEL - 1] + "…"


@dataclass(frozen=True)
class Band:
    """The stage (rows, blocks) or the table (à la française) the seats face."""

    x: float
    y: float
    w: float
    h: float
    label: str
    table: bool


@dataclass(frozen=True)
class Box:
    """One seat as drawn: ``rank`` is the n° of precedence, ``highlight`` marks n° 1 and the presiding seats."""

    x: float
    y: float
    w: float
    h: float
    rank: int
    name: str
    seat: int
    highlight: bool


@dataclass(frozen=True)
class Plan:
    """The geometry of a plan in drawing units (1 unit = 1 px in the SVG), shared by the SVG and the PDF sheet."""

    width: float
    height: float
    title: str
    desc: str
    lines: tuple[str, ...]  # « n° 1 : M. … (rang 1, siège 3, côté centre) », in precedence order
    band: Band
    aisle_label_at: tuple[float, float] | None
    boxes: tuple[Box, ...]


def plan(seats: list[Seat], names: dict[str, str], layout: Layout) -> Plan:
    """Where each seat is drawn. ``seats`` is the list returned by ``seat`` (its order gives the n° of precedence
    shown on each seat); ``names`` maps contact ids to display names (the id is shown when a name is missing)."""
    _validate([], Layout(layout.kind, layout.seats_per_row))
    n = layout.seats_per_row
    columns = 2 * n if layout.kind == "two_blocks" else n
    aisle = _AISLE if layout.kind == "two_blocks" else 0
    rows = max((s.row for s in seats), default=1)
    if layout.kind == "table_francaise":
        rows = 2
    width = 2 * _MARGIN + columns * _SEAT_W + (columns - 1) * _GAP + aisle
    top = _MARGIN + _BAND + _GAP  # first row below the stage band (rows, blocks)

    def seat_x(number: int) -> float:
        x = _MARGIN + (number - 1) * (_SEAT_W + _GAP)
        if layout.kind == "two_blocks" and number > n:
            x += aisle
        return x

    def seat_y(row: int) -> float:
        if layout.kind == "table_francaise":  # row 2 (co-host) above the table, row 1 (host) below
            return _MARGIN if row == 2 else _MARGIN + _SEAT_H + 2 * _GAP + _BAND
        return top + (row - 1) * (_SEAT_H + _GAP)

    height = seat_y(1) + _SEAT_H + _MARGIN if layout.kind == "table_francaise" else seat_y(rows) + _SEAT_H + _MARGIN

    def label(contact_id: str) -> str:
        return names.get(contact_id) or contact_id

    lines = []
    for rank, s in enumerate(seats, start=1):
        where = f"rang {s.row}, siège {s.seat}, côté {_SIDE_FR[s.side]}"
        if layout.kind == "table_francaise":
            where = f"{'côté de l’hôte' if s.row == 1 else 'côté du co-hôte'}, siège {s.seat}, {_SIDE_FR[s.side]}"
        lines.append(f"n° {rank} : {label(s.contact_id)} ({where})")
    convention = (
        "Droite et gauche s’entendent du point de vue des personnes assises ; "
        "les sièges sont numérotés de gauche à droite pour une personne assise face à la scène."
        if layout.kind != "table_francaise"
        else "Droite et gauche s’entendent du point de vue de l’hôte (rang 1) ou du co-hôte (rang 2), qui se font face."
    )
    desc = f"{len(seats)} personne(s). {convention} " + " ; ".join(lines)
    if layout.kind == "table_francaise":
        band = Band(_MARGIN, _MARGIN + _SEAT_H + _GAP, width - 2 * _MARGIN, _BAND, "Table", table=True)
    else:
        band = Band(_MARGIN, _MARGIN, width - 2 * _MARGIN, _BAND, "Scène / tribune", table=False)
    aisle_at = (seat_x(n) + _SEAT_W + aisle / 2, top + 14) if layout.kind == "two_blocks" else None
    boxes = tuple(
        Box(
            seat_x(s.seat),
            seat_y(s.row),
            _SEAT_W,
            _SEAT_H,
            rank,
            label(s.contact_id),
            s.seat,
            highlight=rank == 1 or (layout.kind == "table_francaise" and s.side == "centre"),
        )
        for rank, s in enumerate(seats, start=1)
    )
    title = "Plan de placement : " + _KIND_FR[layout.kind]
    return Plan(width, height, title, desc, tuple(lines), band, aisle_at, boxes)


def svg(seats: list[Seat], names: dict[str, str], layout: Layout) -> str:
    """A standalone SVG of the plan (role="img", French <title> and <desc>, every text escaped)."""
    drawn = plan(seats, names, layout)
    width, height, band = drawn.width, drawn.height, drawn.band
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{width:g}" height="{height:g}" '
        f'viewBox="0 0 {width:g} {height:g}" role="img" aria-labelledby="plan-title plan-desc" lang="fr">',
        f'<title id="plan-title">{escape(drawn.title)}</title>',
        f'<desc id="plan-desc">{escape(drawn.desc)}</desc>',
        f'<rect x="0" y="0" width="{width:g}" height="{height:g}" fill="#ffffff"/>',
    ]
    fill, stroke = ("#e8dcc4", "#7a6a4f") if band.table else ("#dde4ee", "#44546a")
    parts.append(
        f'<rect x="{band.x:g}" y="{band.y:g}" width="{band.w:g}" height="{band.h:g}" fill="{fill}" stroke="{stroke}"/>'
    )
    parts.append(_text(width / 2, band.y + band.h / 2 + 4, band.label, weight="normal" if band.table else "bold"))
    if drawn.aisle_label_at:
        parts.append(_text(*drawn.aisle_label_at, "allée", size=10))
    for box in drawn.boxes:
        colour = "#f6e7b0" if box.highlight else "#f4f4f4"
        parts.append(f"<g><title>{escape(box.name)}</title>")
        parts.append(
            f'<rect x="{box.x:g}" y="{box.y:g}" width="{box.w:g}" height="{box.h:g}" rx="6" fill={quoteattr(colour)} '
            'stroke="#333333"/>'
        )
        parts.append(_text(box.x + box.w / 2, box.y + 18, _short(box.name), size=11, weight="bold"))
        parts.append(_text(box.x + box.w / 2, box.y + 36, f"n° {box.rank} · siège {box.seat}", size=10))
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)
