"""One message catalogue: every message in the code is Indonesian there and has its English translation."""

import ast
import re
from pathlib import Path

from tools.messages import EN_MO, QT_QM, SOURCES, compiled, english, extract, keywords, qt_compiled
from workbench import i18n
from workbench.errors import NotFound

ROOT = Path(__file__).resolve().parents[1]
# arguments that pass on a message marked with N_ where it is declared (an error's own, column names, reasons)
PASSED_ON = {"self.message", "problem", "c", "label", "exc.message"}
MARKED_TABLES = {"REASONS", "STATUS_LABELS", "FIELDS", "PROFILE_LABELS", "SETTING_LABELS", "CHOICE_LABELS",
                 "SETTING_HELP", "LAYOUT_NAMES"}


def ids(message):
    return message.id if isinstance(message.id, tuple) else (message.id,)


def strings(message):
    return message.string if isinstance(message.string, tuple) else (message.string,)


def test_every_message_in_the_code_has_an_english_translation():
    catalogue = english()
    missing = [m.id for m in extract() if m.id and (m.id not in catalogue or not all(strings(catalogue[m.id]))
                                                     or catalogue[m.id].fuzzy)]
    assert missing == [], "run `make messages` and translate these in workbench.po"


def test_the_catalogue_holds_no_message_the_code_no_longer_has():
    used = {m.id for m in extract()}
    assert [m.id for m in english() if m.id and m.id not in used] == []


def test_placeholders_survive_translation():
    for message in english():
        if message.id:
            names = {n for text in ids(message) for n in re.findall(r"{(\w+)", text)}
            assert all({n for n in re.findall(r"{(\w+)", s)} == names for s in strings(message)), message.id


def test_the_compiled_catalogue_is_up_to_date():
    assert EN_MO.read_bytes() == compiled(english()), "run `make messages`"
    assert QT_QM.read_bytes() == qt_compiled(), "run `make messages`"


def test_every_message_is_written_where_it_is_used():
    """A message built at run time could not be extracted: the first argument is a literal (or passed on)."""
    names = set(keywords())
    extracted = {message for m in extract() for message in ids(m)}
    wrong = []
    for folder in SOURCES:
        for path in (ROOT / folder).rglob("*.py"):
            relative = str(path.relative_to(ROOT))
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and node.args:
                    called = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
                    first = node.args[0]
                    literal = isinstance(first, ast.Constant) and isinstance(first.value, str)
                    marked = isinstance(first, ast.Subscript) and ast.unparse(first.value) in MARKED_TABLES
                    if called in names and not literal and not marked and ast.unparse(first) not in PASSED_ON:
                        wrong.append(f"{relative}:{node.lineno} {ast.unparse(node)[:80]}")
                    elif called in names and literal and first.value not in extracted:  # e.g. inside an f-string
                        wrong.append(f"{relative}:{node.lineno} not extracted: {first.value[:60]}")
    assert wrong == []


def test_messages_and_errors_show_in_the_current_language():
    error = NotFound("Periode tidak dikenal: {name}", name="1999")
    try:
        assert str(error) == "Periode tidak dikenal: 1999"
        i18n.set_language("en")
        assert str(error) == "Unknown period: 1999"  # rendered when shown, not when raised
        assert i18n.tr("{n} unit", n=3) == "3 units"
    finally:
        i18n.set_language("id")


def test_file_sizes_read_as_people_write_them():
    assert [i18n.file_size(n) for n in (0, 1023, 1045, 734_003, 5 * 1024**2, 3 * 1024**3)] == [
        "0 B", "1023 B", "1,0 KB", "717 KB", "5,0 MB", "3,0 GB"]
    try:
        i18n.set_language("en")
        assert i18n.file_size(1045) == "1.0 KB"
    finally:
        i18n.set_language("id")
