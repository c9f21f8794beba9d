"""`python -m bench.dedupe --input contacts.csv --pairs pairs.csv`: the job's pairs for a CSV named like the import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench import dedupe
from chalicelib.domain.duplicates import THRESHOLD

ROOT = Path(__file__).resolve().parents[2]

# One duplicate (typo, inverted names, formatted phone), one household (Jean/Jeanne, same address and landline), one
# homonym (another birth date), one organisation-like empty row.
ROWS = [
    # ref, civility, first, last, email, phone, birth, address, postcode, city, (extra column)
    ("A1", "M.", "Jean", "Dupont", "jean.dupont@orange.fr", "04 78 12 34 56", "14/07/1962", "3 rue Pasteur", "69001"),
    ("A2", "", "DUPOND", "Jean", "", "+33 4 78 12 34 56", "", "3, r. Pasteur", "69001"),
    ("A3", "Mme", "Jeanne", "Dupont", "", "04 78 12 34 56", "", "3 rue Pasteur", "69001"),
    ("A4", "M.", "Jean", "Dupont", "jdupont@free.fr", "", "1990-02-01", "8 avenue de la Gare", "38000"),
    ("A5", "", "", "", "", "", "", "", ""),
    ("A6", "Mme", "Hélène", "Lefèvre-Dubois", "h.lefevre@laposte.net", "", "", "", ""),
    ("A7", "", "Helene", "LEFEVRE DUBOIS", "H.Lefevre@laposte.net", "", "", "", ""),
]
HEADER = ["ref", "civility", "first_name", "last_name", "email", "phone", "birth_date", "address_line", "postcode"]


def write(path: Path, delimiter: str, *, bom: bool, extra: bool, shuffle: bool) -> None:
    header = list(HEADER) + ["city"] + (["notes"] if extra else [])
    rows = [[*row, "Lyon", *(["à rappeler; merci"] if extra else [])] for row in ROWS]
    if shuffle:  # columns in another order, header in capitals: read by name
        order = list(reversed(range(len(header))))
        header = [header[i].upper() for i in order]
        rows = [[row[i] for i in order] for row in rows]

    def cell(value: str) -> str:
        return f'"{value}"' if delimiter in value or ";" in value else value

    lines = [delimiter.join(header)] + [delimiter.join(cell(v) for v in row) for row in rows]
    path.write_bytes(("\ufeff" if bom else "").encode() + ("\r\n".join(lines) + "\r\n").encode("utf-8"))


def read_pairs(path: Path) -> list[tuple[str, str, float]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "ref_a;ref_b;score"
    return [(a, b, float(s)) for a, b, s in (line.split(";") for line in lines[1:])]


@pytest.mark.parametrize(
    ("delimiter", "bom", "extra", "shuffle"),
    [
        pytest.param(";", True, True, False, id="semicolon-bom-extra-column"),
        pytest.param(",", False, False, False, id="comma-no-bom"),
        pytest.param(",", True, True, True, id="comma-bom-reordered-upper-case-header"),
    ],
)
def test_the_cli_writes_the_jobs_pairs(tmp_path: Path, delimiter: str, bom: bool, extra: bool, shuffle: bool) -> None:
    source, target = tmp_path / "contacts.csv", tmp_path / "pairs.csv"
    write(source, delimiter, bom=bom, extra=extra, shuffle=shuffle)

    assert dedupe.main(["--input", str(source), "--pairs", str(target)]) == 0

    pairs = read_pairs(target)
    assert [(a, b) for a, b, _ in pairs] == [("A1", "A2"), ("A6", "A7")]  # not A1/A3 (household), A1/A4 (homonym)
    assert all(THRESHOLD <= s <= 1 for _, _, s in pairs)
    assert pairs == dedupe.detect(dedupe.read_rows(source)), "the file holds exactly what the job's code proposes"


def test_the_module_runs_from_the_command_line(tmp_path: Path) -> None:
    source, target = tmp_path / "contacts.csv", tmp_path / "pairs.csv"
    write(source, ";", bom=True, extra=False, shuffle=False)
    subprocess.run(
        [sys.executable, "-m", "bench.dedupe", "--input", str(source), "--pairs", str(target)], check=True, cwd=ROOT
    )
    assert [(a, b) for a, b, _ in read_pairs(target)] == [("A1", "A2"), ("A6", "A7")]


def test_a_file_without_ref_column_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "contacts.csv"
    source.write_text("first_name;last_name\nJean;Dupont\n", encoding="utf-8")
    assert dedupe.main(["--input", str(source), "--pairs", str(tmp_path / "pairs.csv")]) == 1


def test_the_generated_world_plants_what_it_says() -> None:
    world = dedupe.generate(600, 90, seed=3)
    assert len(world.rows) == 690 and len(world.truth) == 90
    assert set(world.traps.values()) == {"household", "homonym"}
    assert {kind for kind in world.truth.values()} == set(dedupe.KINDS)
