"""Consultations: the questions, a respondent's answer checked against them, and the tallies of the results.

Five kinds of question: one choice (``single``), several (``multiple``), a scale from 1 to 5 (``scale``), free text
(``text``) and an order of preference over the options (``ranking``, tallied as the mean rank of each option, 1 being
the first). A percentage is of the respondents who answered that question (a skipped optional question counts in
neither part), rounded to one decimal; for ``multiple`` the percentages add up to more than 100.

Ballot stuffing on a public link (anyone with the address may answer) is limited, not prevented: one answer per
browser (a cookie: clearing it or changing browser gives another), at most PUBLIC_ANSWERS_PER_HOUR answers an hour
from one network address (a household, a company or a mobile operator's NAT share one), and a field hidden from
people that robots fill in (a honeypot). PUBLIC_LIMITS_TEXT says so to whoever reads the results. Personal links
(one per contact of a segment) give one answer per person, which a second answer replaces until the close.

Pure domain code.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chalicelib.domain.campaign_reports import safe_cell

KINDS = ("single", "multiple", "scale", "text", "ranking")
WITH_OPTIONS = frozenset({"single", "multiple", "ranking"})
SCALE = (1, 2, 3, 4, 5)
MAX_QUESTIONS = 50
MAX_OPTIONS = 20
MAX_LABEL = 300
MAX_OPTION = 150
MAX_TEXT_ANSWER = 2000
PUBLIC_ANSWERS_PER_HOUR = 30  # per network address (hashed, never stored in clear)
PUBLIC_LIMITS_TEXT = (
    "Lien public : une réponse par navigateur (un cookie ; en l'effaçant ou en changeant de navigateur, une même "
    f"personne peut répondre à nouveau), au plus {PUBLIC_ANSWERS_PER_HOUR} réponses par heure depuis une même adresse "
    "réseau (un foyer, une entreprise ou un opérateur mobile peuvent partager la leur), et un champ invisible que "
    "seuls les robots remplissent. Ces mesures limitent les réponses multiples sans les empêcher : les résultats "
    "d'un lien public ne sont pas un scrutin."
)
_QUESTION_ID = re.compile(r"[a-z0-9_-]{1,32}")


class ConsultationError(ValueError):
    """Problems with the questions or an answer, each as {"field", "message"} (a 422)."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("; ".join(e["message"] for e in errors))
        self.errors = errors


def _clean(value: Any) -> str:
    return " ".join(str(value).split()) if isinstance(value, str) else ""


def parse_questions(raw: Any) -> list[dict[str, Any]]:
    """The questions as stored: each {"id", "kind", "label", "required", "options"} (options empty for ``scale``
    and ``text``); ids given or numbered q1, q2…; ConsultationError naming each problem by its path."""
    if not isinstance(raw, list) or not raw:
        raise ConsultationError([{"field": "questions", "message": "Ajoutez au moins une question."}])
    if len(raw) > MAX_QUESTIONS:
        raise ConsultationError([{"field": "questions", "message": f"{MAX_QUESTIONS} questions au plus."}])
    errors: list[dict[str, str]] = []
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for n, q in enumerate(raw):
        path = f"questions[{n}]"
        if not isinstance(q, Mapping):
            errors.append({"field": path, "message": "Une question est un objet."})
            continue
        question, problems = _question(n, q, seen)
        errors.extend({"field": f"{path}{suffix}", "message": message} for suffix, message in problems)
        out.append(question)
    if errors:
        raise ConsultationError(errors)
    return out


def _question(n: int, q: Mapping[str, Any], seen: set[str]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    problems: list[tuple[str, str]] = []
    unknown = set(q) - {"id", "kind", "label", "required", "options"}
    if unknown:
        problems.append(("", f"Champ inconnu : {', '.join(sorted(unknown))}."))
    qid = q.get("id") or f"q{n + 1}"
    if not isinstance(qid, str) or not _QUESTION_ID.fullmatch(qid) or qid in seen:
        problems.append((".id", "Identifiant invalide ou en double (a-z, 0-9, _ ou -)."))
    seen.add(str(qid))
    kind = q.get("kind")
    if kind not in KINDS:
        problems.append((".kind", f"Type inconnu ; types possibles : {', '.join(KINDS)}."))
    label = _clean(q.get("label"))
    if not label or len(label) > MAX_LABEL:
        problems.append((".label", f"Intitulé requis, {MAX_LABEL} caractères au plus."))
    required = q.get("required", False)
    if not isinstance(required, bool):
        problems.append((".required", "Vrai ou faux."))
    options, problem = _options(kind, q.get("options") or [])
    if problem:
        problems.append((".options", problem))
    return {"id": qid, "kind": kind, "label": label, "required": required is True, "options": options}, problems


def _options(kind: Any, raw: Any) -> tuple[list[str], str | None]:
    if kind not in WITH_OPTIONS:
        return [], "Ce type de question n'a pas d'options." if raw else None
    if not isinstance(raw, list) or not 2 <= len(raw) <= MAX_OPTIONS:
        return [], f"De 2 à {MAX_OPTIONS} options."
    options = [_clean(o) for o in raw]
    if any(not o or len(o) > MAX_OPTION for o in options):
        return [], f"Chaque option : 1 à {MAX_OPTION} caractères."
    if len({o.casefold() for o in options}) != len(options):
        return [], "Deux options sont identiques."
    return options, None


def _present(value: Any) -> bool:
    return value not in (None, "", [])


def _single(value: Any, options: Sequence[str]) -> tuple[Any, str | None]:
    return value, None if value in options else "Choisissez une des options proposées."


def _multiple(value: Any, options: Sequence[str]) -> tuple[Any, str | None]:
    chosen = value if isinstance(value, list) else [value]
    if any(v not in options for v in chosen) or len(set(chosen)) != len(chosen):
        return value, "Choisissez parmi les options proposées, chacune une fois au plus."
    return [o for o in options if o in chosen], None  # the options' order, whatever the form's


def _scale(value: Any, options: Sequence[str]) -> tuple[Any, str | None]:
    number = _as_int(value)
    return number, None if number in SCALE else "Choisissez une note de 1 à 5."


def _text(value: Any, options: Sequence[str]) -> tuple[Any, str | None]:
    text = value.strip() if isinstance(value, str) else ""
    return text, None if 0 < len(text) <= MAX_TEXT_ANSWER else f"{MAX_TEXT_ANSWER} caractères au plus."


def _ranking(value: Any, options: Sequence[str]) -> tuple[Any, str | None]:
    if isinstance(value, list) and len(value) == len(options) and set(value) == set(options):
        return list(value), None
    return value, "Classez chaque option une fois, de la préférée à la moins préférée."


_CHECKS = {"single": _single, "multiple": _multiple, "scale": _scale, "text": _text, "ranking": _ranking}


def validate_answer(questions: Sequence[Mapping[str, Any]], raw: Any) -> dict[str, Any]:
    """The answer as stored ({question id: value}, skipped questions left out), or ConsultationError naming each
    problem by its question id, in French for the respondent."""
    if not isinstance(raw, Mapping):
        raise ConsultationError([{"field": "answers", "message": "Réponses illisibles."}])
    known = {q["id"] for q in questions}
    errors = [{"field": str(extra)[:40], "message": "Question inconnue."} for extra in sorted(set(raw) - known)]
    out: dict[str, Any] = {}
    for q in questions:
        value = raw.get(q["id"])
        if not _present(value):
            if q.get("required"):
                errors.append({"field": q["id"], "message": f"Merci de répondre à la question « {q['label']} »."})
            continue
        checked, problem = _CHECKS[q["kind"]](value, q["options"])
        if problem:
            errors.append({"field": q["id"], "message": f"« {q['label']} » : {problem}"})
        else:
            out[q["id"]] = checked
    if errors:
        raise ConsultationError(errors)
    return out


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def ranking_from_positions(options: Sequence[str], positions: Mapping[str, Any]) -> list[str] | None:
    """The order a form without JavaScript gives (a position 1…n chosen per option): the options sorted by it, or
    None when the positions are not each of 1…n once."""
    ranks = [_as_int(positions.get(o)) for o in options]
    if sorted(r or 0 for r in ranks) != list(range(1, len(options) + 1)):
        return None
    return [o for _, o in sorted(zip(ranks, options, strict=True), key=lambda pair: pair[0] or 0)]


def answers_from_form(questions: Sequence[Mapping[str, Any]], form: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """The answer a plain HTML form gives (checkboxes repeat their name; a ranking is one rank per option, named
    "<question id>.<option index>"), in the shape validate_answer checks. A ranking left blank is skipped; one
    whose ranks are not each of 1…n once stays invalid (a list validate_answer refuses)."""
    out: dict[str, Any] = {}
    for q in questions:
        qid, options = q["id"], q["options"]
        if q["kind"] == "multiple":
            out[qid] = [v for v in form.get(qid, []) if v]
        elif q["kind"] == "ranking":
            positions = {o: (form.get(f"{qid}.{i}") or [""])[0] for i, o in enumerate(options)}
            if any(positions.values()):
                out[qid] = ranking_from_positions(options, positions) or ["?"]
        else:
            out[qid] = (form.get(qid) or [""])[0]
    return out


# --- dates ---------------------------------------------------------------------------------------------------------


def state(opens_at: datetime, closes_at: datetime, now: datetime) -> str:
    """« scheduled » before the opening, « open » until the close (excluded), then « closed »."""
    if now < opens_at:
        return "scheduled"
    return "open" if now < closes_at else "closed"


def check_dates(opens_at: datetime, closes_at: datetime) -> None:
    if closes_at <= opens_at:
        raise ConsultationError([{"field": "closes_at", "message": "La clôture doit suivre l'ouverture."}])


# --- tallies -------------------------------------------------------------------------------------------------------


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class OptionTally:
    label: str
    count: int
    percent: float | None
    mean_rank: float | None = None  # ranking questions: 1 is the first place


@dataclass(frozen=True)
class QuestionTally:
    id: str
    kind: str
    label: str
    answered: int  # respondents who answered this question
    options: tuple[OptionTally, ...] = ()
    mean: float | None = None  # scale questions
    texts: tuple[str, ...] = field(default=())


def tally(questions: Sequence[Mapping[str, Any]], answers: Iterable[Mapping[str, Any]]) -> list[QuestionTally]:
    """Counts and percentages per option, the mean of a scale, the mean rank of a ranking, the free texts."""
    rows = [a for a in answers]
    out: list[QuestionTally] = []
    for q in questions:
        qid, kind = q["id"], q["kind"]
        values = [a[qid] for a in rows if _present(a.get(qid))]
        n = len(values)
        if kind == "text":
            out.append(QuestionTally(qid, kind, q["label"], n, texts=tuple(str(v) for v in values)))
            continue
        if kind == "scale":
            counts = {s: sum(1 for v in values if v == s) for s in SCALE}
            options = tuple(OptionTally(str(s), counts[s], percent(counts[s], n)) for s in SCALE)
            mean = round(sum(int(v) for v in values) / n, 2) if n else None
            out.append(QuestionTally(qid, kind, q["label"], n, options, mean=mean))
            continue
        tallied: list[OptionTally] = []
        for option in q["options"]:
            if kind == "ranking":
                ranks = [list(v).index(option) + 1 for v in values if option in v]
                firsts = sum(1 for v in values if v and v[0] == option)
                mean_rank = round(sum(ranks) / len(ranks), 2) if ranks else None
                tallied.append(OptionTally(option, firsts, percent(firsts, n), mean_rank))
            else:
                chosen = sum(1 for v in values if v == option or (isinstance(v, list) and option in v))
                tallied.append(OptionTally(option, chosen, percent(chosen, n)))
        out.append(QuestionTally(qid, kind, q["label"], n, tuple(tallied)))
    return out


def tally_by(
    questions: Sequence[Mapping[str, Any]], grouped: Iterable[tuple[str, Mapping[str, Any]]]
) -> dict[str, list[QuestionTally]]:
    """The tallies per group (a territory, a segment), groups in name order."""
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for group, answer in grouped:
        groups.setdefault(group, []).append(answer)
    return {g: tally(questions, groups[g]) for g in sorted(groups)}


# --- the chart and the table ---------------------------------------------------------------------------------------

_WIDTH, _BAR_H, _GAP, _LABEL_W, _TOP = 720, 28, 12, 260, 56


def svg_bars(title: str, question: QuestionTally) -> str:
    """One question's options as horizontal bars, with a title and a text description giving every figure, so a
    screen reader reads the same as the drawing (role="img", aria-labelledby; WCAG 2.1 SC 1.1.1)."""

    def e(text: str) -> str:
        return html.escape(text, quote=False)

    def a(text: str) -> str:
        return html.escape(text, quote=True)

    options = question.options
    described = "; ".join(
        f"{o.label} : {o.count} ({'—' if o.percent is None else str(o.percent).replace('.', ',') + ' %'})"
        for o in options
    )
    described = f"{question.answered} réponse(s). {described}" if options else f"{question.answered} réponse(s)."
    height = _height(question)
    top = max([1, *(o.count for o in options)])
    inner = _WIDTH - _LABEL_W - 120
    bars = []
    for i, o in enumerate(options):
        y = _TOP + i * (_BAR_H + _GAP)
        width = inner * o.count / top
        shown = "—" if o.percent is None else f"{o.count} ({str(o.percent).replace('.', ',')} %)"
        bars.append(
            f'<text x="{_LABEL_W - 8}" y="{y + _BAR_H * 0.7:.1f}" font-size="13" fill="#1a1a1a" '
            f'text-anchor="end">{e(_short(o.label))}</text>'
            f'<rect x="{_LABEL_W}" y="{y}" width="{width:.1f}" height="{_BAR_H}" fill="#000091">'
            f"<title>{e(o.label)}</title></rect>"
            f'<text x="{_LABEL_W + width + 6:.1f}" y="{y + _BAR_H * 0.7:.1f}" font-size="13" '
            f'fill="#1a1a1a">{e(shown)}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{height}" '
        f'viewBox="0 0 {_WIDTH} {height}" role="img" aria-labelledby="{a(question.id)}-title {a(question.id)}-desc" '
        'lang="fr">'
        f'<title id="{a(question.id)}-title">{e(title)} – {e(question.label)}</title>'
        f'<desc id="{a(question.id)}-desc">{e(described)}</desc>'
        f'<rect width="{_WIDTH}" height="{height}" fill="#ffffff"/>'
        f'<text x="16" y="32" font-size="15" font-weight="700" fill="#1a1a1a">{e(_short(question.label, 90))}</text>'
        + "".join(bars)
        + "</svg>"
    )


def svg_document(title: str, tallies: Sequence[QuestionTally]) -> str:
    """Every question with options as one SVG: each question's chart stacked (nested <svg> elements)."""
    y, parts = 0, []
    for t in tallies:
        if t.options:
            parts.append(svg_bars(title, t).replace("<svg ", f'<svg y="{y}" ', 1))
            y += _height(t)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{max(y, 1)}" '
        f'viewBox="0 0 {_WIDTH} {max(y, 1)}" role="group" lang="fr" aria-label="{html.escape(title)}">'
        + "".join(parts)
        + "</svg>"
    )


def _height(question: QuestionTally) -> int:
    return _TOP + len(question.options) * (_BAR_H + _GAP) + _GAP


def _short(text: str, limit: int = 36) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def csv_header(questions: Sequence[Mapping[str, Any]], identified: bool) -> list[str]:
    """One column per question (its label), after the contact's id and group when answers are identified."""
    head = ["contact_id", "groupe"] if identified else []
    return [safe_cell(h) for h in [*head, *(q["label"] for q in questions)]]


def csv_row(
    questions: Sequence[Mapping[str, Any]], answer: Mapping[str, Any], prefix: Sequence[str | None] = ()
) -> list[str]:
    """A response as cells, neutralised when a spreadsheet would run them as formulas (OWASP CSV injection)."""
    cells: list[Any] = list(prefix)
    for q in questions:
        value = answer.get(q["id"])
        cells.append(" > ".join(value) if q["kind"] == "ranking" and isinstance(value, list) else value)
        if q["kind"] == "multiple" and isinstance(value, list):
            cells[-1] = " | ".join(value)
    return [safe_cell(c) for c in cells]
