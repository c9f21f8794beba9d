"""RNE import benchmark: a maires file end to end, and DynamoDB calls per row vs the minimum.

    .venv/bin/python -m bench.rne [--rows N] [--small]
    .venv/bin/python -m bench.rne --local-stack [--rows N] [--imports 1|2|3] [--timeout MINUTES]

A realistic maires file of N rows (default 35,000, the size of the real one; --small: 600) is generated in
memory, in Windows-1252 like the real file, then imported three times through the real HTTP path
(chalice.test.Client, stage `local`, Cognito ID token, POST /imports/rne) with the imports queue drained into
the `process_import` handler, as Lambda would:

1. first import: every row creates a person and a mandate;
2. the same file again: nothing changes;
3. a newer release where 1 % of the rows vanished: their mandates must be end-dated.

Every AWS call is counted on botocore's `before-call` event of every client (bench.run.AwsMeter). Prints the
figures measured in this run; exits 1 if an import gives a wrong answer (counts that do not match the file).

--local-stack runs the first imports (default: 1 and 2) through the local stack instead, over HTTP on 127.0.0.1
with the presigned upload large files take (bench/rne_local.py); same checks, same minimums.
"""

from __future__ import annotations

import json
import random
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

# bench.report and bench.run import only the standard library at module level: their helpers are reused as they are.
from bench.report import BenchFailure, Column, Table, against_minimum, heading, options, run_bench, stopwatch
from bench.run import (
    AwsMeter,
    Calls,
    login,
    moto_transactions_without_backups,
    moto_world,
    seed_admin_tenant,
    use_bench_environment,
)

BATCH = 25  # items per BatchWriteItem
TENANT = "bench-rne"
TENANT_NAME = "Bench RNE"
VANISHED_SHARE = 0.01

# ---------------------------------------------------------------------------------------------
# The file
# ---------------------------------------------------------------------------------------------

LAST_NAMES = [
    "MARTIN",
    "BERNARD",
    "THOMAS",
    "PETIT",
    "ROBERT",
    "RICHARD",
    "DURAND",
    "DUBOIS",
    "MOREAU",
    "LAURENT",
    "SIMON",
    "MICHEL",
    "LEFÈVRE",
    "LEROY",
    "ROUX",
    "DAVID",
    "BERTRAND",
    "MOREL",
    "FOURNIER",
    "GIRARD",
    "BONNET",
    "DUPONT",
    "LAMBERT",
    "FONTAINE",
    "ROUSSEAU",
    "VINCENT",
    "MULLER",
    "LEFEBVRE",
    "FAURE",
    "ANDRÉ",
    "MERCIER",
    "BLANC",
    "GUÉRIN",
    "BOYER",
    "GARNIER",
    "CHEVALIER",
    "FRANÇOIS",
    "LEGRAND",
    "GAUTHIER",
    "GARCIA",
    "PERRIN",
    "ROBIN",
    "CLÉMENT",
    "MORIN",
    "NICOLAS",
    "HENRY",
    "ROUSSEL",
    "MATHIEU",
    "GAUTIER",
    "MASSON",
    "MARCHAND",
    "DUVAL",
    "DENIS",
    "DUMONT",
    "MARIE",
    "LEMAIRE",
    "NOËL",
    "MEYER",
    "DUFOUR",
    "MEUNIER",
    "BRUN",
    "BLANCHARD",
    "GIRAUD",
    "JOLY",
    "RIVIÈRE",
    "LUCAS",
    "BRUNET",
    "GAILLARD",
    "BARBIER",
    "ARNAUD",
    "MARTINEZ",
    "GÉRARD",
    "ROCHE",
    "RENARD",
    "SCHMITT",
    "ROY",
    "LEROUX",
    "COLIN",
    "VIDAL",
    "CARON",
    "PICARD",
    "ROGER",
    "FABRE",
    "AUBERT",
    "LEMOINE",
    "RENAUD",
    "DUMAS",
    "LACROIX",
    "OLIVIER",
    "PHILIPPE",
    "BOURGEOIS",
    "PIERRE",
    "BENOÎT",
    "REY",
    "LECLERC",
    "PAYET",
    "ROLLAND",
    "LECLERCQ",
    "GUILLAUME",
    "LECOMTE",
    "LÓPEZ",
    "JEAN",
    "DUPUY",
    "GUILLOT",
    "HUBERT",
    "BERGER",
    "CARPENTIER",
    "SÁNCHEZ",
    "DUPUIS",
    "MOULIN",
    "LOUIS",
    "DESCHAMPS",
    "HUET",
    "VASSEUR",
    "PEREZ",
    "BOUCHER",
    "FLEURY",
    "ROYER",
    "KLEIN",
    "JACQUET",
    "ADAM",
    "PARIS",
    "POIRIER",
    "MARTY",
    "AUBRY",
    "GUYOT",
    "CARRÉ",
    "CHARLES",
    "RENAULT",
    "CHARPENTIER",
    "MÉNARD",
    "MAILLARD",
    "BARON",
    "BERTIN",
    "BAILLY",
    "HERVÉ",
    "SCHNEIDER",
    "FERNANDEZ",
    "LE_GALL",
    "COLLET",
    "LÉGER",
    "BOUVIER",
    "JULIEN",
    "PRÉVOST",
    "MILLET",
    "PERROT",
    "DANIEL",
    "LE_ROUX",
    "COUSIN",
    "GERMAIN",
    "BRETON",
    "BESSON",
    "LANGLOIS",
    "RÉMY",
    "LE_GOFF",
    "PELLETIER",
    "LÉVÊQUE",
    "PERRIER",
    "LEBLANC",
    "BARRÉ",
    "LEBRUN",
    "MARCHAL",
    "WEBER",
    "MALLET",
    "HAMON",
    "BOULANGER",
    "JACOB",
    "MONNIER",
    "MICHAUD",
    "RODRIGUEZ",
    "GUICHARD",
    "GILLET",
    "ÉTIENNE",
    "GRONDIN",
    "POULAIN",
    "TESSIER",
    "CHEVALLIER",
    "COLLIN",
    "CHAUVIN",
    "DA_SILVA",
    "BOUCHET",
    "GAY",
    "LEMAÎTRE",
    "BÉNARD",
    "MARÉCHAL",
    "HUMBERT",
    "REYNAUD",
    "ANTOINE",
    "HOARAU",
    "PERRET",
    "BARTHÉLEMY",
    "CORDIER",
    "PICHON",
    "LEJEUNE",
    "GILBERT",
    "LAMY",
    "DELAUNAY",
    "PASQUIER",
    "CARLIER",
    "LAPORTE",
    "CASANOVA",
    "PIETRI",
    "SANTONI",
    "QUÉNÉHERVÉ",
    "LE_BRIS",
    "ŒUVRARD",
    "D'ARGENSON",
]
LAST_NAMES = [n.replace("_", " ") for n in LAST_NAMES]  # "LE_GALL": a name in two words
FIRST_NAMES_M = [
    "Jean",
    "Pierre",
    "Michel",
    "André",
    "Philippe",
    "Alain",
    "Bernard",
    "Jacques",
    "Daniel",
    "Patrick",
    "Christian",
    "Gérard",
    "Éric",
    "Frédéric",
    "Stéphane",
    "Thierry",
    "Pascal",
    "Laurent",
    "Didier",
    "Hervé",
    "Dominique",
    "Jean-Luc",
    "Jean-François",
    "Jean-Marc",
    "François",
    "Rémi",
    "Noël",
    "Loïc",
    "Benoît",
    "Jérôme",
    "Sébastien",
    "Cédric",
    "Joël",
    "Gaël",
    "Raphaël",
    "Anaël",
    "Mickaël",
    "Yannick",
    "Pèire",
    "Ange-Marie",
]
FIRST_NAMES_F = [
    "Marie",
    "Nathalie",
    "Isabelle",
    "Sylvie",
    "Catherine",
    "Françoise",
    "Martine",
    "Christine",
    "Monique",
    "Valérie",
    "Sandrine",
    "Véronique",
    "Brigitte",
    "Hélène",
    "Céline",
    "Émilie",
    "Chloé",
    "Agnès",
    "Anaïs",
    "Maëlle",
    "Noémie",
    "Zoé",
    "Bérénice",
    "Geneviève",
    "Ségolène",
    "Marie-Thérèse",
    "Anne-Sophie",
    "Héloïse",
    "Mélanie",
    "Josée",
]
COMMUNE_STEMS = [
    "Saint-Étienne",
    "Sainte-Anne",
    "Notre-Dame",
    "Bourg",
    "Villeneuve",
    "Châteauneuf",
    "Beaumont",
    "Montagnac",
    "Fontenay",
    "Neuville",
    "Mesnil",
    "Bréhal",
    "Aubigné",
    "Sérignac",
    "Lœuilly",
    "Évreux-le-Vieux",
    "Orléat",
    "Pézenas",
    "Vézelay",
    "Saint-Aignan",
    "Champagné",
    "Méréville",
    "L'Haÿ",
    "Ploërmel",
    "Guérande",
    "Montréal",
    "Les",
    "Abymes",
    "Sainte-Rose",
    "Le",
    "François",
    "Saint-Benoît",
    "Île-Tudy",
]
COMMUNE_SUFFIXES = (
    "",
    "-sur-Mer",
    "-en-Bray",
    "-lès-Rouen",
    "-la-Forêt",
    "-du-Bois",
    "-sur-Saône",
    "-d'Aunis",
    "-le-Château",
    "-aux-Prés",
    "-en-Vallée",
    "-près-Épône",
)
CSP = (
    ("11", "Agriculteurs sur petite exploitation"),
    ("12", "Agriculteurs sur moyenne exploitation"),
    ("21", "Artisans"),
    ("22", "Commerçants et assimilés"),
    ("23", "Chefs d'entreprise de 10 salariés ou plus"),
    ("31", "Professions libérales"),
    ("33", "Cadres de la fonction publique"),
    ("34", "Professeurs, professions scientifiques"),
    ("37", "Cadres administratifs et commerciaux d'entreprise"),
    ("42", "Professeurs des écoles, instituteurs et assimilés"),
    ("43", "Professions intermédiaires de la santé et du travail social"),
    ("47", "Techniciens"),
    ("52", "Employés civils et agents de service de la fonction publique"),
    ("54", "Employés administratifs d'entreprise"),
    ("69", "Ouvriers agricoles"),
    ("74", "Anciens cadres"),
    ("75", "Anciennes professions intermédiaires"),
    ("78", "Anciens ouvriers"),
    ("84", "Élèves, étudiants"),
    ("", ""),
)
# Municipal elections: 2020 general (first round 15 March, second round 28 June), later partial elections.
MANDATE_STARTS = (date(2020, 3, 15),) * 6 + (date(2020, 6, 28),) * 3 + (date(2022, 10, 9), date(2024, 2, 4))


def _dmy(d: date) -> str:
    return d.strftime("%d/%m/%Y")


@dataclass
class Generated:
    data: bytes
    lines: list[str]  # data lines, without the header
    header: str
    by_departement: Counter[str]


def communes(n: int, rng: random.Random) -> Iterator[tuple[str, str, str, str]]:
    """n distinct (département code, département name, INSEE commune code, commune name), spread over every
    département: metropolitan ones (2A and 2B included) up to 999 communes each, overseas ones up to 99."""
    from chalicelib.domain.protocol.geography import DEPARTEMENTS

    codes = list(DEPARTEMENTS)
    capacity = {c: (99 if len(c) == 3 else 999) for c in codes}
    if n > sum(capacity.values()):
        raise BenchFailure(f"--rows: at most {sum(capacity.values())} distinct communes")
    share = {c: 0 for c in codes}
    left = n
    while left:  # round robin over the départements that still have room
        for c in codes:
            if left and share[c] < capacity[c]:
                share[c] += 1
                left -= 1
    for dep in codes:
        numbers = rng.sample(range(1, capacity[dep] + 1), share[dep])
        for number in sorted(numbers):
            insee = f"{dep}{number:02d}" if len(dep) == 3 else f"{dep}{number:03d}"
            name = rng.choice(COMMUNE_STEMS) + rng.choice(COMMUNE_SUFFIXES)
            yield dep, DEPARTEMENTS[dep].name, insee, name


def generate(n: int, seed: int = 2026) -> Generated:
    from chalicelib.domain.rne import HEADERS, RneFileKind, identity_key

    rng = random.Random(seed)
    header = ";".join(HEADERS[RneFileKind.MAIRES])
    seen: set[str] = set()
    lines: list[str] = []
    by_departement: Counter[str] = Counter()
    for dep, dep_name, insee, commune in communes(n, rng):
        while True:  # one person per mandate: names + birth date distinct once folded (the import's identity)
            female = rng.random() < 0.22
            first = rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M)
            last = rng.choice(LAST_NAMES)
            if rng.random() < 0.08:
                last = f"{last}-{rng.choice(LAST_NAMES)}"
            birth = date(1938, 1, 1) + timedelta(days=rng.randrange(365 * 58))
            key = identity_key(last, first, birth)
            if key not in seen:
                seen.add(key)
                break
        start = rng.choice(MANDATE_STARTS)
        function_start = start + timedelta(days=rng.choice((5, 6, 7, 12)))
        csp_code, csp_label = rng.choice(CSP)
        sex = "F" if female else "M"
        # Collectivité à statut particulier columns are empty in the maires file outside a few territories.
        fields = [dep, dep_name, "", "", insee, commune, last, first, sex, _dmy(birth), csp_code, csp_label]
        lines.append(";".join([*fields, _dmy(start), _dmy(function_start)]))
        by_departement[dep] += 1
    lines.sort(key=lambda line: line.split(";", 1)[0])  # the real file is in département order
    text = "\r\n".join([header, *lines]) + "\r\n"  # the open-data files end lines with CRLF
    return Generated(text.encode("cp1252"), lines, header, by_departement)


def newer_release(file: Generated, rng: random.Random) -> tuple[Generated, int]:
    vanished = set(rng.sample(range(len(file.lines)), max(1, round(len(file.lines) * VANISHED_SHARE))))
    kept = [line for n, line in enumerate(file.lines) if n not in vanished]
    text = "\r\n".join([file.header, *kept]) + "\r\n"
    return Generated(text.encode("cp1252"), kept, file.header, Counter()), len(vanished)


# ---------------------------------------------------------------------------------------------
# Counting
# ---------------------------------------------------------------------------------------------


class ImportMeter(AwsMeter):
    """bench.run's meter, also counting the items each DynamoDB write carries (what a minimum is made of) and
    naming GSI queries apart (Query[by-function]) from table queries."""

    def __init__(self) -> None:
        super().__init__()
        self.written: Counter[str] = Counter()

    def before_call(self, model: Any, params: Any = None, **_: Any) -> None:
        calls = self.current
        if calls is None:
            return
        service, op = model.service_model.service_name, model.name
        body = params.get("body") if isinstance(params, dict) else None  # the serialised request
        if service == "dynamodb" and body:
            params = json.loads(body)
            if op == "Query" and params.get("IndexName"):
                op = f"Query[{params['IndexName']}]"
            elif op == "TransactWriteItems":
                self.written[op] += len(params.get("TransactItems", []))
            elif op == "BatchWriteItem":
                self.written[op] += sum(len(v) for v in params.get("RequestItems", {}).values())
            elif op in ("PutItem", "UpdateItem", "DeleteItem"):
                self.written[op] += 1
        calls.operations[(service, op)] += 1

    @contextmanager
    def measure(self) -> Iterator[Calls]:
        self.written = Counter()
        with super().measure() as calls:
            yield calls


@dataclass
class Run:
    name: str
    rows: int
    seconds: float
    calls: Calls
    written: Counter[str]
    chunks: int
    status: dict[str, Any]
    minimum: float
    minimum_how: str
    audit_calls: Calls | None = None
    audit_seconds: float = 0.0
    audit_messages: int = 0
    audit_how: str = ""  # how the audit trail ran, when not drained after the import (the local stack)
    upload_events: int = 0  # S3 upload events process_import handled (the presigned upload path)


# ---------------------------------------------------------------------------------------------
# moto
# ---------------------------------------------------------------------------------------------


@contextmanager
def moto_queries_by_partition() -> Iterator[None]:
    """moto 5 answers a table Query by sorting every item of the table (Table.all_items), keeping the partition
    asked for, then computing the size of every item of the partition before testing its sort key. The import
    looks people up in one partition that gets an entry per person (`{tenant}#id`) and mandates in one that
    gets a mandate per row (the tenant's), so each lookup costs as much as everything imported so far: the
    import is quadratic under moto (a 300-row re-import took 20 s, 2,000 rows would take a quarter of an hour).

    Here, as DynamoDB does, a table Query (not an index Query) seeks: moto's own partition (Table.items[hash
    key]) is read directly and, for begins_with on a string sort key, only the keys with the prefix are handed
    to moto's query code (sort keys kept sorted on every put and delete, bisected). The answer is moto's, from
    fewer candidates; a partition changed by another path (length differs) is read whole, as before."""
    from bisect import bisect_left, insort

    from moto.dynamodb.models.table import Table

    original_query, original_put, original_delete = Table.query, Table.put_item, Table.delete_item

    def sorted_keys(table: Any) -> dict[Any, tuple[list[str], dict[str, Any]]]:
        return table.__dict__.setdefault("_bench_sorted_keys", {})

    def put_item(self: Any, *args: Any, **kwargs: Any) -> Any:
        item = original_put(self, *args, **kwargs)
        if self.range_key_attr and item.range_key is not None and item.range_key.type == "S":
            keys, by_text = sorted_keys(self).setdefault(item.hash_key, ([], {}))
            if item.range_key.value not in by_text:
                insort(keys, item.range_key.value)
                by_text[item.range_key.value] = item.range_key
        return item

    def delete_item(self: Any, hash_key: Any, range_key: Any) -> Any:
        item = original_delete(self, hash_key, range_key)
        if item is not None and range_key is not None and range_key.type == "S":
            keys, by_text = sorted_keys(self).get(hash_key, ([], {}))
            if by_text.pop(range_key.value, None) is not None:
                keys.pop(bisect_left(keys, range_key.value))
        return item

    def query(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = kwargs["index_name"] if "index_name" in kwargs else (args[6] if len(args) > 6 else None)
        if index_name or hash_key is None or not self.range_key_attr:
            return original_query(self, hash_key, *args, **kwargs)
        partition = self.items.get(hash_key, {})
        candidates: list[Any] = list(partition.values())
        comparison = args[0] if args else kwargs.get("range_comparison")
        values = args[1] if len(args) > 1 else kwargs.get("range_objs")
        keys, by_text = sorted_keys(self).get(hash_key, ([], {}))
        if comparison == "BEGINS_WITH" and values and values[0].type == "S" and len(by_text) == len(partition):
            prefix = values[0].value
            found = keys[bisect_left(keys, prefix) : bisect_left(keys, prefix + "\U0010ffff")]
            candidates = [partition[by_text[k]] for k in found]
        self.all_items = lambda: candidates  # instance attribute: shadows the method for this call
        try:
            return original_query(self, hash_key, *args, **kwargs)
        finally:
            del self.all_items

    Table.query, Table.put_item, Table.delete_item = query, put_item, delete_item  # type: ignore[method-assign]
    try:
        yield
    finally:
        Table.query, Table.put_item, Table.delete_item = original_query, original_put, original_delete  # type: ignore[method-assign]


# ---------------------------------------------------------------------------------------------
# The runs
# ---------------------------------------------------------------------------------------------


def drain(client: Any, name: str, handler: str, batch: int) -> int:
    """Deliver a queue's messages to its handler, `batch` at a time, until it is empty, as Lambda would; returns
    how many were delivered. A message is deleted once handled, one by one (DeleteMessage) or as a batch."""
    from chalicelib import aws

    sqs = aws.sqs()
    url = aws.queue_url(name)
    delivered = 0
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=batch).get("Messages", []):
        bodies = [m["Body"] for m in messages]
        event = client.events.generate_sqs_event(message_bodies=bodies, queue_name=name)
        result = client.lambda_.invoke(handler, event).payload
        if result != {"batchItemFailures": []}:
            raise BenchFailure(f"{handler} failed on {bodies}: {result}")
        if len(messages) == 1:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=messages[0]["ReceiptHandle"])
        else:
            entries = [{"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(messages)]
            sqs.delete_message_batch(QueueUrl=url, Entries=entries)
        delivered += len(messages)
    return delivered


def drain_imports(client: Any) -> int:
    """The imports queue's messages to `process_import`, one at a time (its batch size)."""
    from chalicelib.settings import get_settings

    return drain(client, get_settings().imports_queue_name, "process_import", 1)


def drain_audit(client: Any) -> int:
    """The audit entries the import queued to `write_audit` (its DynamoDB writes are reported apart)."""
    from chalicelib.settings import get_settings

    return drain(client, get_settings().audit_queue_name, "write_audit", 10)


def run_import(
    client: Any, meter: ImportMeter, token: str, name: str, file: Generated, expect: dict[str, int]
) -> tuple[Run, dict[str, Any]]:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/csv"}
    with stopwatch() as elapsed, meter.measure() as calls:
        response = client.http.post("/imports/rne?filename=elus-maires-mai.csv", headers=headers, body=file.data)
        if response.status_code != 202:
            raise BenchFailure(f"{name}: POST /imports/rne → {response.status_code} {response.body[:500]!r}")
        import_id = response.json_body["id"]
        chunks = drain_imports(client)
    written = Counter(meter.written)
    status = client.http.get(f"/imports/{import_id}", headers={"Authorization": f"Bearer {token}"}).json_body
    got = {k: status.get(k) for k in ("status", *expect)}
    wanted = {"status": "done", **expect}
    if got != wanted:
        raise BenchFailure(f"{name}: expected {wanted}, got {got} (rejected: {status.get('rejected', [])[:3]})")
    result = Run(name, len(file.lines), elapsed.seconds, calls, written, chunks, status, 0.0, "")
    with stopwatch() as audit_elapsed, meter.measure() as audit_calls:
        result.audit_messages = drain_audit(client)
    result.audit_calls, result.audit_seconds = audit_calls, audit_elapsed.seconds
    return result, status


def items_per_new_person(run: Run) -> float:
    """Items a new person and their mandate take (contact + index entries + mandate), from the writes made:
    every item written but the import's own item (saved once at the start and once per chunk)."""
    w = run.written
    return (w["TransactWriteItems"] + w["PutItem"] + w["BatchWriteItem"] - (run.chunks + 1)) / run.rows


@dataclass
class Step:
    """One import of the bench, what it must report, and how its minimum is reckoned (shared by both modes)."""

    name: str
    file: Generated
    expect: dict[str, int]
    set_minimum: Callable[[Run], None]


def first_import_minimum(run: Run) -> None:
    per_person = items_per_new_person(run)
    run.minimum = 1 + per_person / BATCH
    run.minimum_how = (
        f"1 identity Query per row + {per_person:.1f} items per new person (contact, its index entries, its "
        f"mandate: the items this run wrote per row) in BatchWriteItem of {BATCH}: 1 + {per_person:.1f}/{BATCH}"
    )


def same_file_minimum(run: Run) -> None:
    run.minimum = 2 + 1 / BATCH
    run.minimum_how = (
        "1 identity Query + 1 Query of the person's mandates per row (the mandate's key holds a random id), "
        "+ marking the mandate seen by this import (needed to end-date the others) "
        f"batched by {BATCH}: 2 + 1/{BATCH}"
    )


def newer_release_minimum(kept: int, vanished: int) -> Callable[[Run], None]:
    def set_minimum(run: Run) -> None:
        # End-dating: read the open maire mandates (GSI pages of 1 MB) and write the vanished ones, batched.
        pages = max(1, run.calls.operations[("dynamodb", "Query[by-function]")])
        run.minimum = (kept * (2 + 1 / BATCH) + vanished / BATCH + pages) / kept
        run.minimum_how = (
            f"as 2. for the {kept} rows kept, + {vanished} end dates batched by {BATCH} + the open mandates read "
            f"once through the by-function index ({pages} pages as made): per row read"
        )

    return set_minimum


def steps(rows: int, file: Generated) -> list[Step]:
    """1. first import, 2. the same file again, 3. a newer release with 1 % of the rows gone."""
    zero = {"updated": 0, "rejected_count": 0}
    newer, vanished = newer_release(file, random.Random(7))
    kept = rows - vanished
    return [
        Step(
            "1. first import",
            file,
            {"rows": rows, "created": rows, "unchanged": 0, **zero},
            first_import_minimum,
        ),
        Step(
            "2. same file again",
            file,
            {"rows": rows, "created": 0, "unchanged": rows, "ended": 0, **zero},
            same_file_minimum,
        ),
        Step(
            f"3. newer release, {vanished} rows vanished",
            newer,
            {"rows": kept, "created": 0, "unchanged": kept, "ended": vanished, **zero},
            newer_release_minimum(kept, vanished),
        ),
    ]


def bench(rows: int, file: Generated) -> list[Run]:
    meter = ImportMeter()
    meter.install()

    with moto_world(), moto_transactions_without_backups(), moto_queries_by_partition():
        seed_admin_tenant(TENANT, TENANT_NAME)
        token = login(f"admin@{TENANT}.test")

        from chalice.test import Client

        from app import app

        runs: list[Run] = []
        with Client(app, stage_name="local") as client:
            for step in steps(rows, file):
                run, _ = run_import(client, meter, token, step.name, step.file, step.expect)
                step.set_minimum(run)
                runs.append(run)
    return runs


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def report(runs: list[Run], file: Generated, raised_limit: bool) -> None:
    for run in runs:
        report_run(run)
    total = sum(r.seconds for r in runs)
    print(f"(three imports: {total:.0f} s of import time)")
    if raised_limit:
        print("note: MAX_DIRECT_BYTES was raised for this bench only (the file exceeds the 5 MB direct limit).")


BY_OPERATION = Table("", 26, Column("calls", 8), Column("per row", 8, ".3f"), indent="    ")  # rows only


def report_run(run: Run) -> None:
    calls = run.calls
    ddb = calls.dynamodb
    per_row = ddb / run.rows
    print(f"-- {run.name}: {run.rows} rows --")
    print(
        f"  wall time {run.seconds:8.1f} s   {run.rows / run.seconds:7.0f} rows/s   "
        f"{run.chunks} chunks (SQS messages to process_import)"
        + (f" + {run.upload_events} S3 upload event" if run.upload_events else "")
    )
    print(f"  DynamoDB calls {ddb} = {per_row:.3f} per row; by operation, per row (items written):")
    for (service, op), n in sorted(calls.operations.items(), key=lambda kv: -kv[1]):
        if service != "dynamodb":
            continue
        written = run.written.get(op.split("[")[0], 0) if not op.startswith("Query") else 0
        extra = f"   ({written} items, {written / n:.1f} a call)" if written else ""
        print(BY_OPERATION.line(op, n, n / run.rows) + extra)
    others = [(f"{s}.{op}", n) for (s, op), n in sorted(calls.operations.items()) if s != "dynamodb"]
    print(
        "  other AWS calls, per chunk: " + ", ".join(f"{name} {n} ({n / max(run.chunks, 1):.1f})" for name, n in others)
    )
    print(f"  minimum assumed {run.minimum:.3f} DynamoDB calls per row: {run.minimum_how}")
    print(f"  calls per row, {against_minimum(per_row, run.minimum)}")
    s = run.status
    print(
        f"  outcome: rows {s['rows']}, created {s['created']}, updated {s['updated']}, unchanged "
        f"{s['unchanged']}, ended {s['ended']}, rejected {s['rejected_count']}: as generated"
    )
    if run.audit_calls is not None:
        print(
            f"  audit trail (write_audit handler, not in the figures above): {run.audit_messages} SQS messages → "
            f"DynamoDB {run.audit_calls.describe(True, False)} {run.audit_how or f'in {run.audit_seconds:.1f} s'}"
        )
    print()


MOTO_PATCHES = " ".join(
    [
        "moto patched for the bench: (1) its per-transaction full-table backup is bypassed",
        "(moto deep-copies every table a transaction touches, quadratic as tables grow; the import",
        "itself writes in batches, but the tenant set-up still uses transactions); (2) a table Query",
        "seeks its partition and sort-key prefix instead of sorting the whole table and sizing every",
        "item of the partition (same answer; see moto_queries_by_partition).",
        "Wall times are moto's, not DynamoDB's; call counts are the app's.",
    ]
)


def main(argv: list[str] | None = None) -> int:
    parser = options("bench.rne", __doc__, "CI size: 600 rows")
    parser.add_argument("--rows", type=int, help="rows of the maires file (default 35,000; 600 with --small)")
    parser.add_argument(
        "--local-stack",
        action="store_true",
        help="through the local stack over HTTP (moto server, chalice local, queue pollers) on 127.0.0.1",
    )
    parser.add_argument(
        "--imports",
        type=int,
        choices=(1, 2, 3),
        default=2,
        help="--local-stack: how many of the imports to run (default 2: first import and the same file again)",
    )
    parser.add_argument(
        "--timeout", type=float, default=45, help="--local-stack: minutes each import may take (default 45)"
    )
    args = parser.parse_args(argv)
    rows = args.rows or (600 if args.small else 35_000)
    if rows < 100:
        parser.error("--rows must be at least 100 (1 % of the rows vanish in the third import)")
    if args.local_stack:
        from bench import rne_local

        return rne_local.main(rows, args.imports, args.timeout * 60)

    use_bench_environment()
    return run_bench(lambda: in_process(rows))


def in_process(rows: int) -> None:
    """The three imports in this process (moto in-process, chalice.test.Client), then their report."""
    file = generate(rows)
    from chalicelib.services import rne_import

    raised_limit = len(file.data) > rne_import.MAX_DIRECT_BYTES
    if raised_limit:
        rne_import.MAX_DIRECT_BYTES = len(file.data)
    heading("RNE import: the maires file end to end (POST /imports/rne, imports queue → process_import)")
    print(
        f"file: {rows} rows, {len(file.data) / 1e6:.2f} MB in Windows-1252 (CRLF), {len(file.by_departement)} "
        f"départements (2A {file.by_departement['2A']}, 2B {file.by_departement['2B']}, overseas "
        f"{sum(n for d, n in file.by_departement.items() if len(d) == 3)} rows), one distinct commune and "
        f"person per row; chunks of {rne_import.CHUNK_BYTES // 1024} KB"
    )
    if raised_limit:
        print(
            f"  the file is over the 5 MB direct-upload limit: rne_import.MAX_DIRECT_BYTES raised to "
            f"{len(file.data)} for this bench only (large files are meant for the presigned upload)"
        )
    print(
        "AWS: moto in-process (mock_aws), not the local stack's moto server. The server handles one request at "
        "a time over HTTP, adding ~ms per call to ~2-3 calls per row; the same moto code in-process measures "
        "the same calls in a fraction of the time."
    )
    print(MOTO_PATCHES)
    print()
    runs = bench(rows, file)
    report(runs, file, raised_limit)


if __name__ == "__main__":
    sys.exit(main())
