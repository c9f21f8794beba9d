"""Letters: the address zone stays in the DL window wherever the folded letter slides; AFNOR postal lines; labels."""

from __future__ import annotations

import itertools

import pytest

from chalicelib.domain.letters import (
    A4_W,
    DL_WINDOW,
    FOLD,
    LABELS_3X8,
    MAX_LINE_LENGTH,
    Envelope,
    address_zone,
    label_origin,
    postal_lines,
)
from chalicelib.messaging import templates


@pytest.mark.parametrize("envelope", [DL_WINDOW, Envelope(220, 110, 100, 45, 15, 20, "another maker")])
def test_the_address_zone_shows_through_the_window_in_every_position_of_the_letter(envelope: Envelope) -> None:
    zone = address_zone(envelope)
    window_left = envelope.width - envelope.window_right - envelope.window_w
    window_top = envelope.height - envelope.window_bottom - envelope.window_h
    steps = [i / 10 for i in range(11)]
    for fx, fy in itertools.product(steps, steps):
        dx, dy = fx * (envelope.width - A4_W), fy * (envelope.height - FOLD)  # the letter's offset in the envelope
        for x, y in itertools.product((zone.x, zone.x + zone.w), (zone.y, zone.y + zone.h)):
            assert window_left <= x + dx <= window_left + envelope.window_w
            assert window_top <= y + dy <= window_top + envelope.window_h
    assert zone.h >= 6 * 4.4, "the six AFNOR lines fit at 10 pt"
    assert zone.y + zone.h < FOLD, "the address is on the top panel of the fold"


@pytest.mark.parametrize(
    ("names", "street", "postcode", "city", "expected", "why"),
    [
        pytest.param(
            ["Madame la Préfète de la Seine-Maritime"],
            ["7 place de la Madeleine"],
            "76000",
            "Rouen",
            ["Madame la Préfète de la Seine-Maritime", "7 place de la Madeleine", "76000 ROUEN"],
            None,
            id="AFNOR-XP-Z10-011-last-line-in-capitals",
        ),
        pytest.param(
            ["M. Jean Dupont"],
            [],
            "76800",
            "Saint-Étienne-du-Rouvray",
            ["M. Jean Dupont", "76800 SAINT ETIENNE DU ROUVRAY"],
            None,
            id="AFNOR-no-accents-no-hyphens",
        ),
        pytest.param(
            ["a", "b", "c", "d"],
            ["1 rue X", "Bât. B"],
            "76000",
            "Rouen",
            ["a", "b", "c", "1 rue X", "Bât. B", "76000 ROUEN"],
            None,
            id="AFNOR-six-lines-name-cut-first",
        ),
        pytest.param(["a"], ["x"], None, "Rouen", [], "incomplète", id="no-postcode"),
        pytest.param(["a"], ["1", "2", "3", "4", "5"], "76000", "Rouen", [], "trop longue", id="street-too-long"),
    ],
)
def test_postal_lines(names, street, postcode, city, expected, why) -> None:
    lines, reason = postal_lines(names, street, postcode, city)
    assert lines == expected
    assert (reason is None) if why is None else (why in reason)
    assert all(len(line) <= MAX_LINE_LENGTH for line in lines)


def test_labels_fill_rows_then_pages() -> None:
    assert label_origin(LABELS_3X8, 0) == (0, 0, 4.5)
    assert label_origin(LABELS_3X8, 2) == (0, 140, 4.5)
    assert label_origin(LABELS_3X8, 3) == (0, 0, 40.5)
    assert label_origin(LABELS_3X8, 24) == (1, 0, 4.5)
    page, x, y = label_origin(LABELS_3X8, 23)
    assert page == 0 and x + LABELS_3X8.label_w <= 210 and y + LABELS_3X8.label_h <= 297


def test_every_stored_letter_template_uses_only_the_variables_a_letter_gets() -> None:
    from chalicelib.services.letters import VARIABLES

    stored = templates.letter_templates()
    assert stored, "templates/letters is found from chalicelib (the path Lambda uses too)"
    for name in stored:
        source = templates.letter_source(name)
        assert source is not None and templates.check(source, VARIABLES).error is None, name


def test_letter_source_refuses_paths() -> None:
    assert templates.letter_source("../../etc/passwd") is None
    assert templates.letter_source("voeux") is not None
