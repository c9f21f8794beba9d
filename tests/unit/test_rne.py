"""RNE open-data parser: the files of the data set « Répertoire national des élus (RNE) » on data.gouv.fr.

Samples are synthetic people on the files' exact headers (as public parsers of the data set read them); case ids say
what they check: "format" (separator, encoding, dates, codes), "header" (the header of each file kind).
"""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.domain.protocol.functions import FUNCTIONS
from chalicelib.domain.protocol.model import TERRITORY_KINDS, Territory
from chalicelib.domain.rne import (
    COLUMN_ALIASES,
    COLUMNS,
    HEADERS,
    RneFileKind,
    RneFormatError,
    RneRejected,
    RneRow,
    decode,
    detect,
    identity_key,
    may_end_vanished,
    parse,
    parse_bytes,
)

# Exact header strings, copied from the published files (not built from the module's constants on purpose).
H_CM = (
    "Code du département;Libellé du département;Code de la collectivité à statut particulier;Libellé de la "
    "collectivité à statut particulier;Code de la commune;Libellé de la commune;Nom de l'élu;Prénom de l'élu;Code "
    "sexe;Date de naissance;Code de la catégorie socio-professionnelle;Libellé de la catégorie socio-professionnelle;"
    "Date de début du mandat;Libellé de la fonction;Date de début de la fonction;Code nationalité"
)
H_MAI = (
    "Code du département;Libellé du département;Code de la collectivité à statut particulier;Libellé de la "
    "collectivité à statut particulier;Code de la commune;Libellé de la commune;Nom de l'élu;Prénom de l'élu;Code "
    "sexe;Date de naissance;Code de la catégorie socio-professionnelle;Libellé de la catégorie socio-professionnelle;"
    "Date de début du mandat;Date de début de la fonction"
)
H_DEP = (
    "Code du département;Libellé du département;Code de la collectivité à statut particulier;Libellé de la "
    "collectivité à statut particulier;Code de la circonscription législative;Libellé de la circonscription "
    "législative;Nom de l'élu;Prénom de l'élu;Code sexe;Date de naissance;Code de la catégorie socio-professionnelle;"
    "Libellé de la catégorie socio-professionnelle;Date de début du mandat"
)
H_SEN = (
    "Code du département;Libellé du département;Code de la collectivité à statut particulier;Libellé de la "
    "collectivité à statut particulier;Nom de l'élu;Prénom de l'élu;Code sexe;Date de naissance;Code de la "
    "catégorie socio-professionnelle;Libellé de la catégorie socio-professionnelle;Date de début du mandat"
)
H_CD = (
    "Code du département;Libellé du département;Code du canton;Libellé du canton;Nom de l'élu;Prénom de l'élu;Code "
    "sexe;Date de naissance;Code de la catégorie socio-professionnelle;Libellé de la catégorie socio-professionnelle;"
    "Date de début du mandat;Libellé de la fonction;Date de début de la fonction"
)
H_CR = (
    "Code de la région;Libellé de la région;Code de la section départementale;Libellé de la section départementale;"
    "Nom de l'élu;Prénom de l'élu;Code sexe;Date de naissance;Code de la catégorie socio-professionnelle;Libellé de "
    "la catégorie socio-professionnelle;Date de début du mandat;Libellé de la fonction;Date de début de la fonction"
)
H_EPCI = (
    "Code du département;Libellé du département;Code de la collectivité à statut particulier;Libellé de la "
    "collectivité à statut particulier;N° SIREN;Libellé de l'EPCI;Code de la commune de rattachement;Libellé de la "
    "commune de rattachement;Nom de l'élu;Prénom de l'élu;Code sexe;Date de naissance;Code de la catégorie "
    "socio-professionnelle;Libellé de la catégorie socio-professionnelle;Date de début du mandat;Libellé de la "
    "fonction;Date de début de la fonction"
)
H_RPE = (
    "Nom de l'élu;Prénom de l'élu;Code sexe;Date de naissance;Code de la catégorie socio-professionnelle;Libellé de "
    "la catégorie socio-professionnelle;Date de début du mandat"
)

MAIRES = "\n".join(
    [
        H_MAI,
        "76;Seine-Maritime;;;76540;Rouen;LEFÈVRE-DUBOIS;Hélène;F;03/02/1971;33;Cadre de la fonction publique;"
        "03/07/2020;04/07/2020",
        "2A;Corse-du-Sud;;;2A004;Ajaccio;CASANOVA;Pèire;M;1965-11-30;23;Chef d'entreprise;2020-06-28;2020-07-04",
        "01;Ain;;;01053;Bourg-en-Bresse;MARTIN;Zoé;F;31/12/1980;;;15/03/2020;",
        "76;Seine-Maritime;;;76351;Le Havre;DURAND;Paul;M;31/02/1970;;;03/07/2020;04/07/2020",  # bad date
        "76;Seine-Maritime;;;76001;Allouville",  # short line
        "76;Seine-Maritime;;;76002;Ambourville;;Anne;F;01/01/1960;;;03/07/2020;04/07/2020",  # no last name
        "",
    ]
)

CM = "\n".join(
    [
        H_CM,
        "76;Seine-Maritime;;;76540;Rouen;LEFÈVRE-DUBOIS;Hélène;F;03/02/1971;33;Cadre;28/06/2020;Maire;04/07/2020;FR",
        "76;Seine-Maritime;;;76540;Rouen;NGUYEN;Minh;M;12/05/1985;;;28/06/2020;1er adjoint au maire;04/07/2020;FR",
        "76;Seine-Maritime;;;76540;Rouen;BŒUF;Cécile;F;07/09/1990;;;28/06/2020;2ème adjoint au maire;04/07/2020;FR",
        "76;Seine-Maritime;;;76540;Rouen;PETIT;Louis;M;01/01/1950;;;28/06/2020;;;FR",
        '2A;Corse-du-Sud;;;004;Ajaccio;"LECA; dit ""Paulu""";Paul;M;02/02/1962;;;28/06/2020;Maire délégué;;FR',
    ]
)

EPCI = "\n".join(
    [
        H_EPCI,
        "76;Seine-Maritime;;;200023414;Métropole Rouen Normandie;76540;Rouen;ROBERT;Nicolas;M;10/10/1970;;;"
        "15/07/2020;Président du conseil communautaire;15/07/2020",
        "76;Seine-Maritime;;;200023414;Métropole Rouen Normandie;76540;Rouen;SIMON;Julie;F;11/11/1975;;;"
        "15/07/2020;Vice-président;15/07/2020",
        "76;Seine-Maritime;;;200023414;Métropole Rouen Normandie;76540;Rouen;THOMAS;Léa;F;12/12/1980;;;15/07/2020;;",
    ]
)

CD = "\n".join(
    [
        H_CD,
        "76;Seine-Maritime;7605;Canton de Rouen-1;BERTRAND;Bruno;M;01/03/1960;;;01/07/2021;"
        "Président du conseil départemental;01/07/2021",
        "76;Seine-Maritime;05;Canton de Rouen-1;DUPONT;Claire;F;02/04/1966;;;01/07/2021;"
        "1ère vice-présidente du conseil départemental;01/07/2021",
        "01;Ain;0101;Canton d'Ambérieu-en-Bugey;GIRARD;Marc;M;03/05/1970;;;01/07/2021;;",
    ]
)

CR = "\n".join(
    [
        H_CR,
        "28;Normandie;76;Seine-Maritime;MOREL;Hervé;M;05/06/1965;;;02/07/2021;Président du conseil régional;02/07/2021",
        "28;Normandie;27;Eure;FOURNIER;Inès;F;06/07/1972;;;02/07/2021;Vice-présidente du conseil régional;02/07/2021",
        "01;Guadeloupe;971;Guadeloupe;LUBIN;Rose;F;07/08/1978;;;02/07/2021;;",
    ]
)

DEP = "\n".join(
    [
        H_DEP,
        "76;Seine-Maritime;;;1;1ère circonscription;LAMBERT;Élodie;F;08/09/1979;;;08/07/2024",
        "2A;Corse-du-Sud;;;01;1ère circonscription;SANTONI;Ghjuvan;M;09/10/1968;;;08/07/2024",
        "971;Guadeloupe;;;2;2ème circonscription;JEAN-BAPTISTE;Marie;F;10/11/1975;;;08/07/2024",
        "27;Eure;;;2702;2e circonscription;ROUX;Yves;M;11/12/1958;;;08/07/2024",
    ]
)

SEN = "\n".join(
    [
        H_SEN,
        "76;Seine-Maritime;;;GARNIER;Odile;F;12/01/1955;;;01/10/2020",
        "1;Ain;;;FAURE;Jacques;M;13/02/1957;;;01/10/2023",
    ]
)

RPE = "\n".join([H_RPE, "BLANC;Amélie;F;14/03/1982;;;16/07/2024"])


def rows(text: str, departement: str | None = None) -> list[RneRow | RneRejected]:
    return list(parse(text, departement))


def accepted(text: str, departement: str | None = None) -> list[RneRow]:
    return [r for r in rows(text, departement) if isinstance(r, RneRow)]


# ------------------------------------------------------------------------------------------------- detect


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        pytest.param(H_MAI, RneFileKind.MAIRES, id="header-maires-header"),
        pytest.param(H_CM, RneFileKind.CONSEILLERS_MUNICIPAUX, id="header-cm-header"),
        pytest.param(H_EPCI, RneFileKind.CONSEILLERS_COMMUNAUTAIRES, id="header-epci-header"),
        pytest.param(H_CD, RneFileKind.CONSEILLERS_DEPARTEMENTAUX, id="header-cd-header"),
        pytest.param(H_CR, RneFileKind.CONSEILLERS_REGIONAUX, id="header-cr-header"),
        pytest.param(H_DEP, RneFileKind.DEPUTES, id="header-deputes-header"),
        pytest.param(H_SEN, RneFileKind.SENATEURS, id="header-senateurs-header"),
        pytest.param(H_RPE, RneFileKind.REPRESENTANTS_PARLEMENT_EUROPEEN, id="header-rpe-header"),
        pytest.param("\ufeff" + H_MAI + "\r\n", RneFileKind.MAIRES, id="format-header-with-bom-and-crlf"),
        pytest.param(H_MAI + ";", RneFileKind.MAIRES, id="format-header-trailing-separator"),
        pytest.param(
            H_CD.replace("Code de la catégorie socio-professionnelle", "Code CSP").replace(
                "Libellé de la catégorie socio-professionnelle", "Libellé CSP"
            ),
            RneFileKind.CONSEILLERS_DEPARTEMENTAUX,
            id="header-cd-csp-abbreviated-variant",
        ),
        pytest.param(
            H_CM.removesuffix(";Code nationalité"), RneFileKind.CONSEILLERS_MUNICIPAUX, id="header-cm-no-nationalite"
        ),
        pytest.param(
            H_CM.replace("Libellé de la fonction", "Libellé de fonction").replace(
                "Code de la commune", "Code Insee de la commune"
            ),
            RneFileKind.CONSEILLERS_MUNICIPAUX,
            id="header-cm-2018-2020-labels",
        ),
        pytest.param(";".join(reversed(H_MAI.split(";"))), RneFileKind.MAIRES, id="header-order-free-read-by-name"),
    ],
)
def test_detect(header: str, kind: RneFileKind) -> None:
    assert detect(header) is kind


def test_reference_headers_are_the_module_headers() -> None:
    """header: the module's data is exactly the published strings, column counts included."""
    expected = {
        RneFileKind.MAIRES: (H_MAI, 14),
        RneFileKind.CONSEILLERS_MUNICIPAUX: (H_CM, 16),
        RneFileKind.CONSEILLERS_COMMUNAUTAIRES: (H_EPCI, 17),
        RneFileKind.CONSEILLERS_DEPARTEMENTAUX: (H_CD, 13),
        RneFileKind.CONSEILLERS_REGIONAUX: (H_CR, 13),
        RneFileKind.DEPUTES: (H_DEP, 13),
        RneFileKind.SENATEURS: (H_SEN, 11),
        RneFileKind.REPRESENTANTS_PARLEMENT_EUROPEEN: (H_RPE, 7),
    }
    assert set(HEADERS) == set(RneFileKind)
    for kind, (header, count) in expected.items():
        assert ";".join(HEADERS[kind]) == header, kind
        assert len(HEADERS[kind]) == count, kind
        assert set(COLUMNS[kind].values()) <= set(HEADERS[kind]), kind
    assert set(COLUMN_ALIASES.values()) <= {name for header in HEADERS.values() for name in header}


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(
            "Code du département;Libellé du département;Code de la commune;Libellé de la commune;Libellé du secteur;"
            "Nom de l'élu;Prénom de l'élu;Code sexe;Date de naissance;Code de la catégorie socio-professionnelle;"
            "Libellé de la catégorie socio-professionnelle;Date de début du mandat;Libellé de la fonction;"
            "Date de début de la fonction",
            id="header-conseillers-arrondissement-not-handled",
        ),
        pytest.param(H_MAI.replace(";", ","), id="format-comma-separator"),
        pytest.param(H_MAI.replace("Nom de l'élu", "Nom"), id="header-renamed-column"),
        pytest.param(H_MAI + ";Nuance politique", id="header-unknown-extra-column"),
        pytest.param("", id="header-empty-header"),
    ],
)
def test_detect_unknown_header_raises_a_french_error(header: str) -> None:
    with pytest.raises(RneFormatError) as error:
        detect(header)
    message = str(error.value)
    assert isinstance(error.value, ValueError)
    for expected in ("maires", "conseillers municipaux", "députés", "sénateurs", "Parlement européen"):
        assert expected in message


def test_detect_error_names_the_missing_and_unknown_columns() -> None:
    with pytest.raises(RneFormatError, match=r"colonnes manquantes : « Nom de l'élu ».*colonnes inconnues : « Nom »"):
        detect(H_MAI.replace("Nom de l'élu", "Nom"))


# ------------------------------------------------------------------------------------------------- decode


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param("Hélène;2A004\n".encode(), "Hélène;2A004\n", id="format-utf8"),
        pytest.param(b"\xef\xbb\xbf" + "Hélène\n".encode(), "Hélène\n", id="format-utf8-bom"),
        pytest.param(b"H\xe9l\xe8ne\r\nZo\xe9\r\n", "Hélène\nZoé\n", id="format-cp1252-fallback-crlf"),
        pytest.param(b"\x80 \x9c", "€ œ", id="format-cp1252-not-latin1"),
        pytest.param(b"a\x81b", "a\x81b", id="format-undefined-cp1252-byte-latin1"),
        pytest.param(b"a\r\nb\rc\n", "a\nb\nc\n", id="format-line-ends"),
    ],
)
def test_decode(data: bytes, expected: str) -> None:
    assert decode(data) == expected


# ------------------------------------------------------------------------------------------------- parse


def test_parse_maires_rows_and_rejections() -> None:
    result = rows(MAIRES)
    assert [r.line for r in result] == [2, 3, 4, 5, 6, 7]
    rouen, ajaccio, bourg = result[:3]
    assert rouen == RneRow(
        line=2,
        kind=RneFileKind.MAIRES,
        last_name="LEFÈVRE-DUBOIS",
        first_name="Hélène",
        civility="Mme",
        birth_date=date(1971, 2, 3),
        function="maire",
        territory=Territory("commune", "76540", "Rouen"),
        start=date(2020, 7, 3),
        function_start=date(2020, 7, 4),
        profession="Cadre de la fonction publique",
        function_label=None,
        departement="76",
    )
    assert isinstance(ajaccio, RneRow)
    assert ajaccio.territory == Territory("commune", "2A004", "Ajaccio")
    assert ajaccio.civility == "M"
    assert ajaccio.birth_date == date(1965, 11, 30)  # ISO date
    assert ajaccio.start == date(2020, 6, 28)
    assert isinstance(bourg, RneRow)
    assert bourg.territory.code == "01053"  # leading zero kept
    assert bourg.function_start is None
    assert bourg.profession is None
    bad_date, short, no_name = result[3:]
    assert bad_date == RneRejected(5, bad_date.reason)
    assert "Date de naissance invalide" in bad_date.reason and "31/02/1970" in bad_date.reason
    assert short == RneRejected(6, "Ligne 6 : 6 colonnes au lieu de 14.")
    assert no_name == RneRejected(7, "Ligne 7 : Nom de l'élu manquant.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            CM,
            [
                ("maire", "commune", "76540", "Maire"),
                ("adjoint_maire", "commune", "76540", "1er adjoint au maire"),
                ("adjoint_maire", "commune", "76540", "2ème adjoint au maire"),
                ("conseiller_municipal", "commune", "76540", None),
                ("maire_delegue", "commune", "2A004", "Maire délégué"),
            ],
            id="header-cm-functions",
        ),
        pytest.param(
            EPCI,
            [
                ("president_epci", "epci", "200023414", "Président du conseil communautaire"),
                ("conseiller_communautaire", "epci", "200023414", "Vice-président"),
                ("conseiller_communautaire", "epci", "200023414", None),
            ],
            id="header-epci-functions",
        ),
        pytest.param(
            CD,
            [
                ("president_conseil_departemental", "departement", "76", "Président du conseil départemental"),
                (
                    "vice_president_conseil_departemental",
                    "departement",
                    "76",
                    "1ère vice-présidente du conseil départemental",
                ),
                ("conseiller_departemental", "canton", "0101", None),
            ],
            id="header-cd-functions",
        ),
        pytest.param(
            CR,
            [
                ("president_conseil_regional", "region", "28", "Président du conseil régional"),
                ("vice_president_conseil_regional", "region", "28", "Vice-présidente du conseil régional"),
                ("conseiller_regional", "region", "01", None),
            ],
            id="header-cr-functions",
        ),
        pytest.param(
            DEP,
            [
                ("depute", "circonscription", "7601", None),
                ("depute", "circonscription", "2A01", None),
                ("depute", "circonscription", "97102", None),
                ("depute", "circonscription", "2702", None),
            ],
            id="header-deputes-circonscription",
        ),
        pytest.param(
            SEN,
            [("senateur", "departement", "76", None), ("senateur", "departement", "01", None)],
            id="header-senateurs",
        ),
        pytest.param(RPE, [("depute_europeen", "europe", "FR", None)], id="header-rpe"),
    ],
)
def test_parse_function_and_territory_per_file(text: str, expected: list[tuple[str, str, str, str | None]]) -> None:
    result = rows(text)
    assert all(isinstance(r, RneRow) for r in result), result
    got = [(r.function, r.territory.kind, r.territory.code, r.function_label) for r in result if isinstance(r, RneRow)]
    assert got == expected
    for row in result:
        assert isinstance(row, RneRow)
        assert row.function in FUNCTIONS
        assert row.territory.kind in TERRITORY_KINDS


def test_parse_cm_quoted_field_with_separator_and_ligature() -> None:
    result = accepted(CM)
    assert result[2].last_name == "BŒUF"
    assert result[4].last_name == 'LECA; dit "Paulu"'
    assert result[4].territory.code == "2A004"  # « 004 » prefixed with the département (some releases ⚠️)


def test_parse_dates_and_civility_per_file() -> None:
    cd = accepted(CD)[1]
    assert (cd.civility, cd.birth_date, cd.start, cd.function_start) == (
        "Mme",
        date(1966, 4, 2),
        date(2021, 7, 1),
        date(2021, 7, 1),
    )
    dep = accepted(DEP)[0]
    assert dep.start == date(2024, 7, 8) and dep.function_start is None and dep.departement == "76"
    assert accepted(RPE)[0].departement is None


@pytest.mark.parametrize(
    ("text", "departement", "expected_lines"),
    [
        pytest.param(MAIRES, "76", [2, 5, 6, 7], id="format-filter-maires-76-keeps-its-rejections"),
        pytest.param(MAIRES, "2a", [3, 6], id="format-filter-maires-2A-lowercase"),
        pytest.param(MAIRES, "1", [4, 6], id="format-filter-maires-01-unpadded"),
        pytest.param(CM, "2A", [6], id="format-filter-cm"),
        pytest.param(EPCI, "01", [], id="format-filter-epci-none"),
        pytest.param(CD, "01", [4], id="format-filter-cd"),
        pytest.param(CR, "971", [4], id="format-filter-cr-by-section"),
        pytest.param(DEP, "971", [4], id="format-filter-deputes-971"),
        pytest.param(DEP, "27", [5], id="format-filter-deputes-full-circonscription-code"),
        pytest.param(SEN, "01", [3], id="format-filter-senateurs-unpadded-code"),
        pytest.param(RPE, "76", [2], id="format-filter-rpe-national-kept"),
    ],
)
def test_departement_filter(text: str, departement: str, expected_lines: list[int]) -> None:
    assert [r.line for r in rows(text, departement)] == expected_lines


def test_deputes_departement_from_the_circonscription_when_the_column_is_empty() -> None:
    text = H_DEP + "\n;;;;7603;3e circonscription;VIDAL;Noé;M;01/01/1980;;;08/07/2024\n"
    (row,) = rows(text, "76")
    assert isinstance(row, RneRow)
    assert row.territory == Territory("circonscription", "7603", "3e circonscription")
    assert row.departement == "76"


@pytest.mark.parametrize(
    ("data", "expected_name"),
    [
        pytest.param(MAIRES.replace("\n", "\r\n").encode(), "Hélène", id="format-crlf-file"),
        pytest.param(b"\xef\xbb\xbf" + MAIRES.encode(), "Hélène", id="format-bom-file"),
        pytest.param(MAIRES.encode("cp1252", errors="replace"), "Hélène", id="format-windows-1252-file"),
    ],
)
def test_parse_bytes_in_every_encoding(data: bytes, expected_name: str) -> None:
    result = list(parse_bytes(data))
    assert [r.line for r in result] == [2, 3, 4, 5, 6, 7]
    first = result[0]
    assert isinstance(first, RneRow)
    assert first.first_name == expected_name
    assert first.last_name == "LEFÈVRE-DUBOIS"


def test_windows_1252_e_acute_is_byte_e9() -> None:
    line = b"76;Seine-Maritime;;;76540;Rouen;DUPR\xc9;Ren\xe9;M;01/01/1970;;;03/07/2020;\r\n"
    data = H_MAI.encode("cp1252") + b"\r\n" + line
    (row,) = parse_bytes(data)
    assert isinstance(row, RneRow)
    assert (row.last_name, row.first_name) == ("DUPRÉ", "René")


def test_crlf_text_without_decode() -> None:
    result = rows(MAIRES.replace("\n", "\r\n"))
    assert [r.line for r in result] == [2, 3, 4, 5, 6, 7]
    assert isinstance(result[0], RneRow) and result[0].function_start == date(2020, 7, 4)


def test_codes_stay_text() -> None:
    """format: département, commune, circonscription, canton, région and SIREN codes are never numbers."""
    for text in (MAIRES, CM, EPCI, CD, CR, DEP, SEN, RPE):
        for row in accepted(text):
            assert isinstance(row.territory.code, str)
            assert row.departement is None or isinstance(row.departement, str)
    assert {r.territory.code for r in accepted(MAIRES)} == {"76540", "2A004", "01053"}
    assert [r.departement for r in accepted(MAIRES)] == ["76", "2A", "01"]


def test_streaming_in_chunks_keeps_file_line_numbers() -> None:
    lines = MAIRES.split("\n")
    whole = rows(MAIRES)
    header, body = lines[0], lines[1:]
    first = list(parse(body[:3], header=header, first_line=2))
    second = list(parse(iter(body[3:]), header=header, first_line=5))
    assert first + second == whole


def test_parse_is_lazy() -> None:
    def endless() -> object:
        yield H_RPE
        while True:
            yield "BLANC;Amélie;F;14/03/1982;;;16/07/2024"

    result = parse(endless())  # type: ignore[arg-type]
    assert next(result).line == 2
    assert next(result).line == 3


def test_parse_unknown_header_raises() -> None:
    with pytest.raises(RneFormatError):
        rows("Nom;Prénom\nA;B\n")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        pytest.param("X;Anne;F;1982-13-01;;;16/07/2024", "Date de naissance invalide", id="format-iso-bad-month"),
        pytest.param("X;Anne;F;14.03.1982;;;16/07/2024", "Date de naissance invalide", id="format-bad-format"),
        pytest.param("X;Anne;F;;;;16/07/2024", "Date de naissance manquante", id="header-missing-birth-date"),
        pytest.param("X;Anne;F;14/03/1982;;;16/7/24", "Date de début du mandat invalide", id="format-short-year"),
        pytest.param("X;;F;14/03/1982;;;16/07/2024", "Prénom de l'élu manquant", id="header-missing-first-name"),
        pytest.param("X;Anne;X;14/03/1982;;;16/07/2024", "Code sexe invalide", id="format-code-sexe"),
        pytest.param("X;Anne;F;14/03/1982;;;16/07/2024;;", "9 colonnes au lieu de 7", id="header-long-line"),
    ],
)
def test_rejections(line: str, reason: str) -> None:
    (result,) = rows(H_RPE + "\n" + line)
    assert isinstance(result, RneRejected)
    assert result.line == 2
    assert reason in result.reason


# ------------------------------------------------------------------------------------------------- identity


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param(("LEFÈVRE-DUBOIS", "Hélène"), ("Lefevre Dubois", "helene"), id="header-accents-hyphen-case"),
        pytest.param(("BŒUF", "Cécile"), ("Boeuf", "Cecile"), id="header-ligature"),
        pytest.param(("D'ARC", "Jeanne"), ("d’Arc ", " Jeanne"), id="header-apostrophe-spaces"),
    ],
)
def test_identity_key_matches_spelling_variants(a: tuple[str, str], b: tuple[str, str]) -> None:
    born = date(1971, 2, 3)
    assert identity_key(*a, born) == identity_key(*b, born)


def test_identity_key_format_and_distinctions() -> None:
    assert identity_key("LEFÈVRE-DUBOIS", "Hélène", date(1971, 2, 3)) == "lefevre dubois|helene|1971-02-03"
    assert identity_key("MARTIN", "Zoé", date(1980, 12, 31)) != identity_key("MARTIN", "Zoé", date(1980, 12, 30))
    assert identity_key("MARTIN", "Zoé", date(1980, 12, 31)) != identity_key("MARTIN", "Léa", date(1980, 12, 31))
    with pytest.raises(ValueError):
        identity_key("  ", "Zoé", date(1980, 12, 31))


def test_reimport_gives_the_same_keys() -> None:
    """A person in the maires file and in the CM file (or a later release) has one key: no duplicate."""
    maire = accepted(MAIRES)[0]
    cm = accepted(CM)[0]
    assert identity_key(maire.last_name, maire.first_name, maire.birth_date) == identity_key(
        cm.last_name, cm.first_name, cm.birth_date
    )


@pytest.mark.parametrize(
    ("header", "prefix", "label", "function"),
    [
        pytest.param(H_CM, "76;S;;;76540;Rouen;", "Maire", "maire", id="header-cm-maire"),
        pytest.param(H_CM, "76;S;;;76540;Rouen;", "3ème adjointe au maire", "adjoint_maire", id="header-cm-adjointe"),
        pytest.param(H_CM, "76;S;;;76540;Rouen;", "Maire déléguée", "maire_delegue", id="header-cm-deleguee"),
        pytest.param(
            H_CM, "76;S;;;76540;Rouen;", "Conseiller municipal délégué", "conseiller_municipal", id="header-cm-cmd"
        ),
        pytest.param(H_CM, "76;S;;;76540;Rouen;", "Fonction inconnue", "conseiller_municipal", id="header-cm-other"),
        pytest.param(H_EPCI, "76;S;;;200023414;M;76540;Rouen;", "Présidente", "president_epci", id="header-epci-f"),
        pytest.param(
            H_CD,
            "76;S;7605;R;",
            "Présidente du conseil départemental",
            "president_conseil_departemental",
            id="header-cd-f",
        ),
        pytest.param(
            H_CR, "28;N;76;S;", "2e vice-président", "vice_president_conseil_regional", id="header-cr-vp-short"
        ),
    ],
)
def test_function_labels(header: str, prefix: str, label: str, function: str) -> None:
    tail = ";FR" if header == H_CM else ""
    (row,) = rows(f"{header}\n{prefix}NOM;Prénom;F;01/01/1970;;;28/06/2020;{label};04/07/2020{tail}")
    assert isinstance(row, RneRow), row
    assert (row.function, row.function_label) == (function, label)


# --- acceptance of a file as a whole: a file not really read ends no mandate ------------------------------------------

RETRY = "aucun mandat n'a été clos. Corrigez le fichier puis réimportez-le."


@pytest.mark.parametrize(
    ("rows", "rejected", "share"),
    [
        pytest.param(1, 0, 0.01, id="one-row"),
        pytest.param(100, 1, 0.01, id="exactly-1-percent"),
        pytest.param(35_000, 350, 0.01, id="maires-file-at-the-share"),
        pytest.param(101, 2, 0.02, id="within-a-larger-share"),
        pytest.param(3, 1, 0.5, id="float-share"),
        pytest.param(100, 7, 0.07, id="share-not-exact-in-binary"),
        pytest.param(5, 0, 0.0, id="none-rejected-at-zero"),
    ],
)
def test_a_file_accepted_as_a_whole_may_end_the_vanished(rows: int, rejected: int, share: float) -> None:
    assert may_end_vanished(rows, rejected, share) is None


@pytest.mark.parametrize(
    ("rows", "rejected", "share", "departement", "reason"),
    [
        pytest.param(0, 0, 0.01, None, f"Aucune ligne valide : {RETRY}", id="header-only"),
        pytest.param(0, 0, 0.01, "2A", f"Aucune ligne valide pour le département 2A : {RETRY}", id="filter-empty"),
        pytest.param(
            37, 37, 0.01, None, f"Aucune ligne valide (37 lignes rejetées sur 37) : {RETRY}", id="all-rejected"
        ),
        pytest.param(1, 1, 1.0, None, f"Aucune ligne valide (1 ligne rejetée sur 1) : {RETRY}", id="all-even-at-100"),
        pytest.param(
            120, 37, 0.01, None, f"37 lignes rejetées sur 120 (plus de 1\u00a0%) : {RETRY}", id="review-example"
        ),
        pytest.param(101, 2, 0.01, None, f"2 lignes rejetées sur 101 (plus de 1\u00a0%) : {RETRY}", id="just-over"),
        pytest.param(
            1000, 6, 0.005, "76", f"6 lignes rejetées sur 1000 (plus de 0,5\u00a0%) : {RETRY}", id="decimal-share"
        ),
        pytest.param(100, 1, 0.0, None, f"1 ligne rejetée sur 100 (plus de 0\u00a0%) : {RETRY}", id="zero-share"),
    ],
)
def test_a_file_not_accepted_as_a_whole_says_why_in_french(
    rows: int, rejected: int, share: float, departement: str | None, reason: str
) -> None:
    assert may_end_vanished(rows, rejected, share, departement) == reason
