"""Every table has one owner (workbench/db/owners.py): only the owner writes it, and only the owner reads it
but for the registry's vocabulary, which anyone may join to name things. The SQL of every module is read
here; what is still read elsewhere is listed below, to be moved behind the owner's methods, and the list may
only shrink."""

import ast
import re
from collections import defaultdict
from pathlib import Path

from workbench import Workbook
from workbench.db.owners import OWNER_OF, OWNERS, VOCABULARY

ROOT = Path(__file__).resolve().parents[1]
WRITE = re.compile(r"\b(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)\s+(\w+)", re.I)
READ = re.compile(r"\b(?:FROM|JOIN)\s+(\w+)", re.I)
EXEMPT = {"workbench.db.migrations"}  # migrations build and rebuild every table

# reads of another module's tables not yet behind the owner's methods: (reader, table)
STILL_READ_ELSEWHERE = {
    ("workbench.certificates.service", "observations"), ("workbench.conflicts", "indicator_totals"),
    ("workbench.conflicts", "observations"), ("workbench.db.audit", "settings"),
    ("workbench.evidence", "observations"), ("workbench.exchange.kits", "evidence"),
    ("workbench.exchange.kits", "observation_evidence"), ("workbench.exchange.kits", "observations"),
    ("workbench.exchange.packages", "evaluator_keys"), ("workbench.exchange.packages", "evidence"),
    ("workbench.exchange.packages", "observation_evidence"),
    ("workbench.exchange.packages", "observations"), ("workbench.ledger", "audit_log"),
    ("workbench.ledger", "certificate_settings"), ("workbench.ledger", "certificates"),
    ("workbench.ledger", "consensus"), ("workbench.ledger", "evaluator_keys"), ("workbench.ledger", "kit"),
    ("workbench.ledger", "observations"), ("workbench.ledger", "period_settings"), ("workbench.ledger", "settings"),
    ("workbench.ledger", "signing_keys"), ("workbench.ledger", "survey_populations"),
    ("workbench.observations.merge", "audit_log"), ("workbench.registry", "consensus"),
    ("workbench.registry", "dirty_results"), ("workbench.results", "consensus"),
    ("workbench.results", "observations"), ("workbench.results", "respondents"), ("workbench.team", "observations"),
    ("workbench.results", "dirty_results"),
}


def touches(source: str) -> tuple[set[str], set[str]]:
    """The tables the SQL text in `source` writes, and those it reads."""
    written, read = set(), set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            written |= set(WRITE.findall(node.value))
            read |= set(READ.findall(re.sub(r"DELETE\s+FROM", "", node.value, flags=re.I)))
    return written, read


def trespasses(module: str, source: str) -> tuple[set[str], set[tuple[str, str]]]:
    """The tables `module` writes without owning them, and the (module, table) it reads without owning them
    (the vocabulary aside)."""
    written, read = touches(source)

    def foreign(table: str) -> bool:  # an owner may be a package: its modules share its tables
        return table in OWNER_OF and module != OWNER_OF[table] and not module.startswith(OWNER_OF[table] + ".")

    return {t for t in written if foreign(t)}, {(module, t) for t in read if foreign(t) and t not in VOCABULARY}


def core_modules() -> dict[str, str]:
    """Every module of the core by its name (a package by its own name, not "….__init__")."""
    return {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p.read_text(encoding="utf-8")
            for p in sorted((ROOT / "workbench").rglob("*.py"))}


def test_every_table_has_one_owner(tmp_path):
    with Workbook.create(tmp_path / "a.sqlite") as wb:
        tables = {name for (name,) in wb.store.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
    assert tables - set(OWNER_OF) == set(), "give these tables an owner in workbench/db/owners.py"
    assert set(OWNER_OF) - tables == set(), "owners of tables that no longer exist"
    assert sum(len(t) for t in OWNERS.values()) == len(OWNER_OF)  # no table with two owners
    assert set(OWNERS) <= set(core_modules())  # every owner is a module


def test_only_owners_write_and_what_others_read_only_shrinks():
    writes, reads = defaultdict(set), set()
    for module, source in core_modules().items():
        if module in EXEMPT:
            continue
        foreign, foreign_reads = trespasses(module, source)
        if foreign:
            writes[module] |= foreign
        reads |= foreign_reads
    assert dict(writes) == {}, "write through the owner's methods"
    assert reads - STILL_READ_ELSEWHERE == set(), "read through the owner's methods"
    assert STILL_READ_ELSEWHERE - reads == set(), "moved behind the owner: take these off the list"


def test_a_planted_trespass_is_caught():
    planted = 'SQL = "UPDATE consensus SET score = 1"\nQ = f"SELECT * FROM respondents r JOIN units u ON 1"'
    assert trespasses("workbench.team", planted) == ({"consensus"}, {("workbench.team", "respondents")})
    assert trespasses("workbench.conflicts", 'X = "DELETE FROM consensus WHERE 1"') == (set(), set())


def test_the_architecture_document_lists_every_owner_as_the_code_declares():
    document = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    listed = dict(re.findall(r"^\| `([\w.]+)` \| ([\w, ]+) \|$", document, re.M))
    assert {module: tuple(tables.split(", ")) for module, tables in listed.items()} == OWNERS
