"""The message catalogue's upkeep (`make messages`): extract every message from the code with Babel,
merge them into the English catalogue, and compile it to the .mo file the app reads; and compile the
Indonesian for Qt's own dialogs (`tools/qtbase_id.ts`, compiled into ui/translations/) with Qt's lrelease.

New messages arrive in `workbench.po` with an empty translation; fill them in and run again.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import pkgutil
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.errors import WorkbenchError  # noqa: E402
from workbench.i18n import DOMAIN, KEYWORDS, LOCALE_DIR  # noqa: E402

SOURCES = ("workbench", "ui", "reports")
EN_PO = LOCALE_DIR / "en" / "LC_MESSAGES" / f"{DOMAIN}.po"
EN_MO = EN_PO.with_suffix(".mo")
PROJECT = "pekppp-workbench"
QT_TS = ROOT / "tools" / "qtbase_id.ts"
QT_QM = ROOT / "ui" / "translations" / "qtbase_id.qm"  # what the app loads (ui.qt_language)


def _error_classes(cls: type[WorkbenchError] = WorkbenchError) -> set[str]:
    return {cls.__name__, *(name for sub in cls.__subclasses__() for name in _error_classes(sub))}


def keywords() -> dict[str, tuple[int, ...]]:
    """Calls whose first string argument is a message: tr, N_ and every WorkbenchError class
    (but ValidationFailed, which takes a list of problems), wherever in the core it is declared."""
    import workbench

    for module in pkgutil.walk_packages(workbench.__path__, "workbench."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    return {**KEYWORDS, **{name: (1,) for name in _error_classes() - {"ValidationFailed"}}}


def extract() -> Catalog:
    """Every message written in the code, with where it is used."""
    catalog = Catalog(domain=DOMAIN, locale="id", project=PROJECT)
    # Babel notes every f-string argument of a keyword call on stderr; ours are parameters, not messages
    with contextlib.redirect_stderr(io.StringIO()):
        for folder in SOURCES:
            for filename, line, message, _comments, _context in extract_from_dir(
                    ROOT / folder, method_map=[("**.py", "python")], keywords=keywords()):
                catalog.add(message, locations=[(f"{folder}/{filename}", line)])
    return catalog


def english() -> Catalog:
    """The English catalogue as it is on disk."""
    with EN_PO.open("rb") as handle:
        return read_po(handle, locale="en", domain=DOMAIN)


def compiled(catalog: Catalog) -> bytes:
    """The .mo bytes of a catalogue."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def qt_compiled() -> bytes:
    """The .qm bytes of the Indonesian for Qt's dialogs, made by PySide6's lrelease."""
    lrelease = shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent)) or "pyside6-lrelease"
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "qtbase_id.qm"
        subprocess.run([lrelease, "-silent", str(QT_TS), "-qm", str(target)], check=True)
        return target.read_bytes()


def main() -> None:
    template = extract()
    catalog = english() if EN_PO.exists() else Catalog(locale="en", domain=DOMAIN, project=PROJECT,
                                                       copyright_holder=PROJECT, fuzzy=False)
    template.creation_date = catalog.creation_date  # no churn in the file when nothing else changed
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    EN_PO.parent.mkdir(parents=True, exist_ok=True)
    with EN_PO.open("wb") as handle:
        write_po(handle, catalog, width=120, sort_output=True, omit_header=False)
    EN_MO.write_bytes(compiled(english()))
    QT_QM.write_bytes(qt_compiled())
    missing = [m.id for m in english() if m.id and not m.string]
    print(f"{EN_PO.relative_to(ROOT)}: {len(template)} messages, {len(missing)} without English")


if __name__ == "__main__":
    main()
