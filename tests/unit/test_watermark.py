"""The Agora export watermark: strict writing, liberal reading, and the L52-8 / CNIL refusal table."""

from __future__ import annotations

import pytest

from chalicelib.domain import watermark
from chalicelib.domain.rne import HEADERS, RneFileKind
from chalicelib.domain.watermark import Watermark, find, find_all, line, refusal

AT = "2026-11-22T08:00:00Z"
MARK = f"# agora-export v1; tenant=t-ville; kind=institution; exported={AT}"
H_MAI = ";".join(HEADERS[RneFileKind.MAIRES])
ROUEN = "76;Seine-Maritime;;;76540;Rouen;LEFÈVRE-DUBOIS;Hélène;F;03/02/1971;33;Cadre;03/07/2020;04/07/2020"
VILLE = Watermark("t-ville", "institution", AT)


def test_line_writes_the_one_format_and_round_trips_through_find():
    written = line("t-ville", "institution", AT)
    assert written == MARK
    assert find(f"{written}\n{H_MAI}\n".encode()) == VILLE
    assert find(line("t-liste", "political", "2026-11-22T09:00:00.123+00:00").encode()) == Watermark(
        "t-liste", "political", "2026-11-22T09:00:00Z"
    )


@pytest.mark.parametrize(
    ("tenant_id", "kind", "exported_at"),
    [
        ("t;ville", "institution", AT),
        ("", "institution", AT),
        ("t-ville", "commune", AT),
        ("t-ville", "institution", "2026-11-22T08:00:00"),  # no time zone
        ("t-ville", "institution", "2026-11-22T09:00:00+01:00"),  # not UTC
        ("t-ville", "institution", "22/11/2026"),
    ],
)
def test_line_refuses_what_it_could_not_write_unambiguously(tenant_id, kind, exported_at):
    with pytest.raises(ValueError):
        line(tenant_id, kind, exported_at)


@pytest.mark.parametrize(
    "sample",
    [
        ("\ufeff" + MARK + "\n" + H_MAI + "\n").encode("utf-8"),  # byte-order mark
        (MARK + "\n" + H_MAI + "\n" + ROUEN + "\n").encode("cp1252"),  # Windows-1252 accents after the mark
        f'"{MARK}"\n{H_MAI}\n'.encode(),  # quoted cell
        f'nom,prénom\n"Dupont","{MARK}"\n'.encode(),  # a cell of the second column, second line
        f"{H_MAI}\n;{MARK};;;\n".encode(),  # spreadsheet padding after the mark
        f"#AGORA-EXPORT V1 ;  Tenant = t-ville ;KIND= Institution ; Exported =  {AT}\n".encode(),  # case, spaces
        f'"# agora-export v1";" tenant=t-ville";" kind=institution";" exported={AT}"\n'.encode(),  # re-split cells
    ],
)
def test_find_reads_the_mark_liberally(sample):
    assert find(sample) == VILLE


def test_find_tolerates_a_sample_cut_inside_a_character():
    sample = f"{MARK}\n{H_MAI}\n{ROUEN}\n".encode()
    cut = sample[: sample.index("È".encode()) + 1]
    assert find(cut) == VILLE


def test_a_mark_with_missing_parts_is_still_a_mark():
    assert find(b"# agora-export v1; tenant=t-ville\n") == Watermark("t-ville", "", None)
    assert find(b"# agora-export; kind=party\n") == Watermark("", "party", None)


def test_no_mark_in_a_plain_rne_file_nor_in_a_mere_mention():
    assert find(f"{H_MAI}\n{ROUEN}\n".encode()) is None
    assert find(f"{H_MAI}\n{ROUEN}\n".encode("cp1252")) is None
    assert find(b"") is None
    assert find(b"note\nvoir agora-export demain\n") is None


def test_find_all_sees_every_mark_of_files_pasted_together():
    political = line("t-liste", "political", AT)
    assert [m.kind for m in find_all(f"{political}\n{H_MAI}\n{MARK}\n{H_MAI}\n".encode())] == [
        "political",
        "institution",
    ]


def test_institution_data_is_refused_to_a_political_tenant_citing_l52_8_and_the_cnil():
    message = refusal("political", "t-liste", VILLE)
    assert message is not None
    assert "L52-8" in message and "CNIL" in message and "2012-020" in message
    assert "directement auprès des personnes" in message


def test_political_data_is_refused_to_an_institution_citing_cloisonnez_vos_fichiers():
    message = refusal("institution", "t-ville", Watermark("t-liste", "political", AT))
    assert message is not None and "Cloisonnez" in message and "30 janvier 2026" in message


@pytest.mark.parametrize(
    ("importer_kind", "importer_tenant", "mark"),
    [
        ("institution", "t-ville", None),  # no mark
        ("institution", "t-autre-ville", VILLE),  # same kind
        ("political", "t-liste", Watermark("t-autre-liste", "political", None)),
        ("political", "t-ville", VILLE),  # same tenant
        ("institution", "t-ville", Watermark("t-ville", "", None)),  # its own file, even with the kind lost
    ],
)
def test_allowed(importer_kind, importer_tenant, mark):
    assert refusal(importer_kind, importer_tenant, mark) is None


@pytest.mark.parametrize("kind", ["", "party", "commune"])
@pytest.mark.parametrize("importer_kind", watermark.KINDS)
def test_an_unknown_or_missing_kind_is_refused_to_another_tenant(kind, importer_kind):
    message = refusal(importer_kind, "t-autre", Watermark("t-x", kind, None))
    assert message is not None and ("inconnue" in message or "non indiquée" in message)
