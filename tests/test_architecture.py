"""The shape of the code: layers point one way, no module imports another in a circle, no Qt in the core."""

import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
LAYERS = next(c for c in CONFIG["contracts"] if c["type"] == "layers")["layers"]


def graph():
    return grimp.build_graph(*CONFIG["root_packages"], include_external_packages=True, cache_dir=None)


def layer_violations(g):
    layers = [grimp.Layer(*(m.strip() for m in layer.split("|"))) for layer in LAYERS]
    return g.find_illegal_dependencies_for_layers(layers=layers)


def cycles(g):
    """Strongly connected groups of more than one module (Tarjan), over imports at any depth of a file."""
    modules = [m for m in g.modules if m.split(".")[0] in CONFIG["root_packages"]]
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in g.find_modules_directly_imported_by(v):
            if w not in index and w in modules:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(10_000)
    for module in modules:
        if module not in index:
            visit(module)
    return found


def test_the_import_contracts_hold():
    result = subprocess.run([str(Path(sys.executable).with_name("lint-imports")), "--no-cache"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def test_layers_point_one_way_and_a_wrong_import_is_caught():
    g = graph()
    assert layer_violations(g) == set()
    g.add_import(importer="workbench.domain.scoring", imported="workbench.exchange.sheets")  # rules reading files
    g.add_import(importer="workbench.results", imported="reports.certificate")  # the core drawing PDFs
    found = {(d.importer, d.imported) for d in layer_violations(g)}
    assert ("workbench.domain", "workbench.exchange") in found and ("workbench.results", "reports") in found


def test_no_module_imports_another_in_a_circle_and_a_circle_is_caught():
    g = graph()
    assert cycles(g) == []
    g.add_import(importer="workbench.registry", imported="workbench.conflicts")
    assert cycles(g) == [["workbench.conflicts", "workbench.registry"]]


def test_core_and_reports_import_no_qt_when_run():
    code = ("import sys, workbench, workbench.cli, workbench.usecases.certificates, workbench.usecases.reports, "
            "workbench.demo, reports.certificate, reports.evaluation; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'ui')); "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def loaded_by(statement: str) -> set[str]:
    """The top-level packages a fresh interpreter has loaded after `statement`."""
    code = f"import sys; {statement}; print(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return set(result.stdout.split())


def test_the_pure_rules_load_no_database_no_cryptography_and_no_spreadsheets():
    heavy = {"sqlite3", "_sqlite3", "cryptography", "openpyxl", "python_calamine", "sqlite_utils"}
    assert loaded_by("import workbench.domain.scoring, workbench.domain.instrument") & heavy == set()
    assert loaded_by("from workbench import Workbook") & heavy >= {"sqlite3"}  # the check sees them
    assert "cryptography" in loaded_by("from workbench.certificates.tokens import new_key_pair; "
                                       "new_key_pair('kata-sandi-kantor')")


def test_the_window_and_an_opened_workbook_load_no_cryptography_until_a_key_is_used(tmp_path):
    from workbench import Workbook

    with Workbook.create(tmp_path / "t.sqlite") as wb:
        wb.registry.add_unit("U1", "Dinas", "Kota")  # signed with this computer's key
    loaded = loaded_by(f"import ui.main_window; from workbench import Workbook; "
                       f"wb = Workbook({str(tmp_path / 't.sqlite')!r}); wb.results.scores(); "
                       f"assert wb.audit.strangers() == []")  # what the window asks of a workbook it opens
    assert "PySide6" in loaded and "cryptography" not in loaded


def connection_users(sources: dict[str, str]) -> list[str]:
    """The modules outside the storage layer (workbench.db) that reach for the store's connection itself."""
    import re

    return sorted(name for name, text in sources.items()
                  if not name.startswith("workbench.db.") and re.search(r"\.conn\b", text))


def test_only_the_storage_layer_holds_the_connection_and_a_module_that_reaches_for_it_is_caught():
    sources = {".".join(path.relative_to(ROOT).with_suffix("").parts): path.read_text(encoding="utf-8")
               for package in ("workbench", "ui", "reports") for path in (ROOT / package).rglob("*.py")}
    assert connection_users(sources) == []
    planted = {**sources, "workbench.planted": "rows = self._store.conn.execute('SELECT 1')"}
    assert connection_users(planted) == ["workbench.planted"]
