"""Seating plans (décret n° 89-655 art. 16 for rows and blocks, usage for the table à la française).

Conventions (see seating.py): side = right/left of the seated people; seats numbered left to right as seen by the
seated people (from the audience facing the stage), so the right-hand side has the higher numbers in a row."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from chalicelib.domain.protocol.seating import Layout, Seat, seat, svg

SVG_NS = "{http://www.w3.org/2000/svg}"


def _ids(count: int) -> list[str]:
    return [f"p{rank}" for rank in range(1, count + 1)]


def _triples(seats: list[Seat]) -> list[tuple[int, int, str]]:
    return [(s.row, s.seat, s.side) for s in seats]


@pytest.mark.parametrize(
    ("count", "layout", "expected"),
    [
        pytest.param(1, Layout("row", 5), [(1, 3, "centre")], id="art16-alone-at-centre"),
        pytest.param(
            5,
            Layout("row", 5),
            [(1, 3, "centre"), (1, 4, "right"), (1, 2, "left"), (1, 5, "right"), (1, 1, "left")],
            id="art16-al2-centre-then-right-then-left-row-of-5",
        ),
        pytest.param(
            3,
            Layout("row", 5),
            [(1, 3, "centre"), (1, 4, "right"), (1, 2, "left")],
            id="art16-al2-partial-row-stays-centred",
        ),
        pytest.param(
            4,
            Layout("row", 4),
            [(1, 2, "centre"), (1, 3, "right"), (1, 1, "left"), (1, 4, "right")],
            id="usage-even-row-centre-left-of-middle",
        ),
        pytest.param(
            7,
            Layout("row", 3),
            [
                (1, 2, "centre"),
                (1, 3, "right"),
                (1, 1, "left"),
                (2, 2, "centre"),
                (2, 3, "right"),
                (2, 1, "left"),
                (3, 2, "centre"),
            ],
            id="art16-overflow-to-next-rows-front-first",
        ),
        pytest.param(3, Layout("row", 1), [(1, 1, "centre"), (2, 1, "centre"), (3, 1, "centre")], id="art16-one-seat"),
        pytest.param(
            6,
            Layout("two_blocks", 3),
            [(1, 4, "right"), (1, 3, "left"), (1, 5, "right"), (1, 2, "left"), (1, 6, "right"), (1, 1, "left")],
            id="art16-al3-right-block-aisle-first-then-left-block-aisle",
        ),
        pytest.param(
            7,
            Layout("two_blocks", 2),
            [
                (1, 3, "right"),
                (1, 2, "left"),
                (1, 4, "right"),
                (1, 1, "left"),
                (2, 3, "right"),
                (2, 2, "left"),
                (2, 4, "right"),
            ],
            id="art16-al3-row-by-row-restarting-at-the-aisle",
        ),
        pytest.param(
            3, Layout("two_blocks", 1), [(1, 2, "right"), (1, 1, "left"), (2, 2, "right")], id="art16-al3-one-per-block"
        ),
    ],
)
def test_rows_and_blocks(count: int, layout: Layout, expected: list[tuple[int, int, str]]) -> None:
    order = _ids(count)
    seats = seat(order, layout)
    assert [s.contact_id for s in seats] == order
    assert _triples(seats) == expected


@pytest.mark.parametrize(
    ("order", "layout", "expected"),
    [
        pytest.param(
            ["H", "C", "g1", "g2", "g3", "g4", "g5", "g6", "g7", "g8"],
            Layout("table_francaise", 5, host_contact_id="H", cohost_contact_id="C"),
            {
                "H": (1, 3, "centre"),
                "C": (2, 3, "centre"),
                "g1": (1, 4, "right"),  # guest of honour at the host's right
                "g2": (1, 2, "left"),  # second at the host's left
                "g3": (2, 2, "right"),  # co-host's right: facing the host, so the lower seat number
                "g4": (2, 4, "left"),
                "g5": (1, 5, "right"),
                "g6": (1, 1, "left"),
                "g7": (2, 1, "right"),
                "g8": (2, 5, "left"),
            },
            id="usage-table-francaise-host-cohost-full-table",
        ),
        pytest.param(
            ["g1", "H", "g2", "C", "g3"],
            Layout("table_francaise", 3, host_contact_id="H", cohost_contact_id="C"),
            {
                "H": (1, 2, "centre"),
                "C": (2, 2, "centre"),
                "g1": (1, 3, "right"),
                "g2": (1, 1, "left"),
                "g3": (2, 1, "right"),
            },
            id="usage-table-francaise-host-not-first-in-precedence",
        ),
        pytest.param(
            ["H", "g1", "g2", "g3", "g4"],
            Layout("table_francaise", 3),
            {
                "H": (1, 2, "centre"),
                "g1": (1, 3, "right"),
                "g2": (1, 1, "left"),
                "g3": (2, 2, "centre"),  # without co-host, the next guest faces the host
                "g4": (2, 1, "right"),
            },
            id="usage-table-francaise-first-presides-without-cohost",
        ),
        pytest.param(
            ["H", "C", "g1", "g2"],
            Layout("table_francaise", 2, host_contact_id="H", cohost_contact_id="C"),
            {
                "H": (1, 1, "centre"),
                "C": (2, 1, "centre"),
                "g1": (1, 2, "right"),
                "g2": (2, 2, "left"),  # host's left does not exist; co-host's right neither (facing side)
            },
            id="usage-table-francaise-even-side-skips-missing-seats",
        ),
    ],
)
def test_table_francaise(order: list[str], layout: Layout, expected: dict[str, tuple[int, int, str]]) -> None:
    seats = seat(order, layout)
    assert [s.contact_id for s in seats] == order
    assert {s.contact_id: (s.row, s.seat, s.side) for s in seats} == expected
    positions = [(s.row, s.seat) for s in seats]
    assert len(set(positions)) == len(positions)


@pytest.mark.parametrize(
    ("kind", "count", "seats_per_row"),
    [
        pytest.param(kind, count, width, id=f"{kind}-{count}-in-{width}")
        for kind in ("row", "two_blocks")
        for count in (1, 2, 7, 12, 25)
        for width in (1, 2, 3, 6)
    ],
)
def test_every_place_is_distinct_and_rows_fill_front_first(kind: str, count: int, seats_per_row: int) -> None:
    seats = seat(_ids(count), Layout(kind, seats_per_row))  # type: ignore[arg-type]
    positions = [(s.row, s.seat) for s in seats]
    assert len(set(positions)) == count
    assert [s.row for s in seats] == sorted(s.row for s in seats)
    columns = seats_per_row * (2 if kind == "two_blocks" else 1)
    assert all(1 <= s.seat <= columns for s in seats)


@pytest.mark.parametrize(
    ("order", "layout", "message"),
    [
        pytest.param(["a"], Layout("row", 0), "au moins 1", id="seats-per-row-zero"),
        pytest.param(["a"], Layout("two_blocks", -2), "au moins 1", id="seats-per-row-negative"),
        pytest.param(["a"], Layout("row", True), "entier", id="seats-per-row-bool"),  # type: ignore[arg-type]
        pytest.param(["a"], Layout("cercle", 3), "Disposition inconnue", id="unknown-kind"),  # type: ignore[arg-type]
        pytest.param(["a", "b"], Layout("table_francaise", 3, host_contact_id="x"), "L'hôte", id="host-not-in-order"),
        pytest.param(["a", "b"], Layout("row", 3, host_contact_id="x"), "L'hôte", id="host-checked-for-rows-too"),
        pytest.param(
            ["a", "b"], Layout("table_francaise", 3, "a", cohost_contact_id="y"), "co-hôte", id="cohost-not-in-order"
        ),
        pytest.param(["a", "b"], Layout("table_francaise", 3, "a", "a"), "différentes", id="host-equals-cohost"),
        pytest.param(["a", "a"], Layout("row", 3), "deux fois", id="duplicate-id"),
        pytest.param(_ids(7), Layout("table_francaise", 3), "Trop de convives", id="table-too-small"),
    ],
)
def test_validation_in_french(order: list[str], layout: Layout, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        seat(order, layout)


def test_empty_order_gives_no_seat() -> None:
    assert seat([], Layout("table_francaise", 4)) == []


@pytest.mark.parametrize(
    "layout",
    [
        pytest.param(Layout("row", 3), id="row"),
        pytest.param(Layout("two_blocks", 2), id="two-blocks"),
        pytest.param(Layout("table_francaise", 3, "p1", "p2"), id="table-francaise"),
    ],
)
def test_svg_is_well_formed_accessible_and_escaped(layout: Layout) -> None:
    order = ["p1", "p2", "<script>", "p4", "p5"]
    names = {
        "p1": "Madame la Préfète",
        "p2": "M. d'Arc & fils",
        "<script>": "<script>alert('x')</script>",
        "p4": "Une personne au nom vraiment très très long pour une étiquette",
    }
    seats = seat(order, layout)
    drawing = svg(seats, names, layout)
    root = ET.fromstring(drawing)  # well-formed XML
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "plan-title plan-desc"
    title = root.find(f"{SVG_NS}title")
    desc = root.find(f"{SVG_NS}desc")
    assert title is not None and title.text and title.text.startswith("Plan de placement")
    assert desc is not None and desc.text
    assert "droite" in desc.text and "gauche" in desc.text
    assert "<script>alert('x')</script>" in desc.text  # as text, once parsed
    assert "<script>" not in drawing  # never as markup
    assert "&lt;script&gt;" in drawing
    assert root.find(f".//{SVG_NS}script") is None
    texts = "".join(root.itertext())
    assert "Madame la Préfète" in texts
    assert "M. d'Arc & fils" in texts
    assert "p5" in texts  # id shown when no name is given
    assert len(root.findall(f".//{SVG_NS}g")) == len(seats)


def test_svg_without_seats_is_still_valid() -> None:
    root = ET.fromstring(svg([], {}, Layout("row", 4)))
    assert root.get("role") == "img"


def test_svg_rejects_invalid_layout() -> None:
    with pytest.raises(ValueError, match="au moins 1"):
        svg([], {}, Layout("row", 0))
