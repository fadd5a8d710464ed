"""Render what a new user sees, on the demo database, to docs/*.png: offscreen, on a 1366 x 768 screen
(Mulai, the new-evaluation wizard, Entri, Hasil, Konflik, Survei, the certificates dialog and Progres tim)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("QT_QPA_PLATFORM", f"offscreen:configfile={ROOT / 'tests' / 'data' / 'screen-1366x768.json'}")
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from ui.main_window import MainWindow, create_if_missing  # noqa: E402
from ui.ops import busy  # noqa: E402
from ui.settings import Settings  # noqa: E402
from workbench import Workbook  # noqa: E402
from workbench.demo import DEMO_PERIOD  # noqa: E402


def settle(app: QApplication) -> None:
    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: None if busy() else loop.quit())
    timer.start(20)
    loop.exec()
    app.processEvents()


def main() -> None:
    app = QApplication(sys.argv)
    folder = Path(tempfile.mkdtemp())
    create_if_missing(folder / "demo.sqlite", demo=True)
    with Workbook(folder / "demo.sqlite") as wb:  # certificates for the demo's finished units, for the dialog
        wb.certificates.init_keys("contoh-kunci-kantor")
        for evaluator in wb.registry.evaluators():
            wb.observations.finalize(evaluator=evaluator, period=DEMO_PERIOD)
        settings = wb.certificates.settings(DEMO_PERIOD)
        settings.min_category = "C"
        wb.certificates.save_settings(settings, DEMO_PERIOD)
        first, second = wb.registry.evaluators()[:2]  # who visits which unit, and the kits sent to them
        wb.team.assign([*((f"DEMO-0{n}", first) for n in range(1, 7)), *((f"DEMO-0{n}", second) for n in (1, 2, 3, 4))],
                       period=DEMO_PERIOD)
        for name in (first, second):
            wb.kits.export(folder / f"{name}.wbkit", evaluator=name, passphrase="contoh-kunci-kit", period=DEMO_PERIOD)
    settings = Settings.from_file(folder / "s.ini")
    settings.set("setting/user", "Evaluator Contoh A")
    window = MainWindow(settings, folder / "demo.sqlite", demo=True)
    window.setGeometry(window.screen().availableGeometry())
    window.show()
    docs = ROOT / "docs"
    start = window.start()
    settle(app)
    start.grab().save(str(docs / "start.png"))
    start.reject()
    wizard = window.new_evaluation()
    wizard.next()
    settle(app)
    wizard.grab().save(str(docs / "wizard.png"))
    wizard.reject()
    entry = window.entry
    entry.select_unit("DEMO-02")
    entry.select_indicator("6.a.B")
    entry.form.notes.show_text("Laporan SKM 2025 ada, publikasi hanya di papan pengumuman.")
    settle(app)
    window.grab().save(str(ROOT / "docs" / "entry.png"))
    window.tabs.setCurrentIndex(1)
    settle(app)
    window.results.select_row(1)
    settle(app)
    window.grab().save(str(ROOT / "docs" / "results.png"))
    window.tabs.setCurrentWidget(window.conflicts)
    settle(app)
    window.conflicts.table.selectRow(0)
    settle(app)
    window.grab().save(str(docs / "conflicts.png"))
    window.tabs.setCurrentWidget(window.surveys)
    window.surveys.select("DEMO-01")
    settle(app)
    window.grab().save(str(docs / "survey.png"))
    certificates = window.open_certificates()
    certificates.set_folder(folder / "piagam")
    certificates.tabs.setCurrentIndex(1)
    certificates.passphrase.setText("contoh-kunci-kantor")
    certificates.issue()
    settle(app)
    certificates.list.setCurrentRow(0)
    settle(app)
    certificates.grab().save(str(docs / "certificates.png"))
    certificates.close()
    window.tabs.setCurrentWidget(window.team)
    settle(app)
    window.grab().save(str(docs / "team.png"))
    window.close()


if __name__ == "__main__":
    main()
