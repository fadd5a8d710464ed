import subprocess
import sys


def test_core_and_reports_import_no_qt():
    code = ("import sys, workbench, workbench.cli, workbench.workbook, workbench.demo, reports; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'ui')); "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_qt_import_statement_in_core_sources():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [str(p) for folder in ("workbench", "reports") for p in (root / folder).rglob("*.py")
                 if any(line.lstrip().startswith(("import PySide6", "from PySide6", "from ui", "import ui"))
                        for line in p.read_text().splitlines())]
    assert offenders == []
