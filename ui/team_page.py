"""Progres tim: the team (who has which units, their key, the last kit sent and package received, how far
each has got), assigning units from a sheet or from a selection, sending kits; and every unit of the
period with each evaluator's progress on it and whether it is ready for a certificate, or why not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.database import Database
from ui.period_box import PeriodBox
from ui.warning import warn
from workbench import Workbook
from workbench.certificates.service import REASONS, UnitStatus
from workbench.domain.passphrase import MIN_PASSPHRASE, check_passphrase
from workbench.domain.values import STATUS_LABELS
from workbench.errors import WorkbenchError
from workbench.events import Changes
from workbench.exchange.container import fingerprint
from workbench.exchange.kits import KitExported, kit_name
from workbench.i18n import decimal, tr
from workbench.progress import CancelToken, ProgressCallback, report
from workbench.team import Member

READY, NOT_READY = QColor("#1b7e3c"), QColor("#b23c17")


def local_time(stamp: str | None) -> str:
    """A stored UTC time as this computer's clock reads it: "04-12-2026 18:11"."""
    try:
        return datetime.fromisoformat(str(stamp)).astimezone().strftime("%d-%m-%Y %H:%M")
    except ValueError:
        return str(stamp or "")
SHEETS = "*.xlsx *.xlsm *.xls *.ods"


class TeamPage(QWidget):
    """The team above, the units below; both read on the reader thread whenever the page is shown after a
    change. Writes (assignments, kits) go through the database's one writer."""

    message = Signal(str)  # what was done, for the status bar

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.folder: Callable[[], str] = lambda: str(db.path.parent)  # where file dialogs open (the window's)
        # replaceable so that tests can answer without a modal dialog
        self.ask_passphrase: Callable[[], str | None] = self._ask_passphrase
        self.period_box = PeriodBox(db.reader)
        self.period_box.currentIndexChanged.connect(lambda _: self.reload())
        self.statuses: list[UnitStatus] = []
        self.members: list[Member] = []
        self.assigned: dict[str, list[str]] = {}  # unit code -> evaluators assigned

        self.team = QTableWidget(0, 7)
        self.team.setHorizontalHeaderLabels([tr("Evaluator"), tr("Unit ditugaskan"), tr("Kunci"), tr("Kit terakhir"),
                                             tr("Paket terakhir"), tr("Dinilai"), tr("Final")])
        self.team.setAccessibleName(tr("Tim evaluator"))
        self.table = QTableWidget(0, 8)
        self.table.setHorizontalHeaderLabels([tr("Kode"), tr("Unit"), tr("Ditugaskan"),
                                              tr("Evaluator (dinilai · status)"), tr("Konflik"), "IPP", tr("Kategori"),
                                              tr("Piagam")])
        self.table.setAccessibleName(tr("Progres tim"))
        for table in (self.team, self.table):
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.horizontalHeader().setStretchLastSection(True)
            table.verticalHeader().setVisible(False)
        self.only_waiting = QCheckBox(tr("Hanya unit yang belum siap"))
        self.only_waiting.toggled.connect(lambda _: self._fill())
        self.summary = QLabel()
        self.team_summary = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Periode")))
        bar.addWidget(self.period_box)
        bar.addWidget(self.summary, 1)
        bar.addWidget(self.only_waiting)

        actions = QHBoxLayout()
        for text, tip, slot in (
                (tr("Tugaskan dari &lembar…"), tr("Lembar dengan kolom kode_unit dan evaluator"),
                 self._on_assign_sheet_clicked),
                (tr("Tugaskan unit te&rpilih…"), tr("Pilih unit di tabel bawah (Ctrl+klik), lalu nama evaluatornya"),
                 self._on_assign_selected_clicked),
                (tr("&Cabut penugasan…"), tr("Nilai yang sudah dibuat tetap ada"), self._on_unassign_clicked),
                (tr("Kirim &kit…"), tr("Satu kit terkunci sandi per evaluator terpilih (atau semua)"),
                 self._on_export_kits_clicked)):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(lambda _=False, s=slot: s())
            button.setEnabled(not db.read_only)
            actions.addWidget(button)
        actions.addStretch()
        actions.addWidget(self.team_summary)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(actions)
        upper_layout.addWidget(self.team, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(upper)
        self.splitter.addWidget(self.table)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)
        self._dirty = True
        db.changed.connect(self._on_db_changed)

    @property
    def period(self) -> str:
        return self.period_box.period

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.reload()

    def _on_db_changed(self, changes: Changes, asking: object) -> None:
        if changes.period or changes.external:
            self.period_box.refresh()
        if changes.scores or changes.certificate or changes.results or changes.team:
            self._dirty = True
            if self.isVisible():
                self.reload()

    def reload(self) -> None:
        """Read the team and where every unit stands (on the reader thread), then show them."""
        self._dirty = False
        period = self.period

        def read(wb: Workbook, progress: object, cancel: object
                 ) -> tuple[list[UnitStatus], list[Member], dict[str, list[str]]]:
            return wb.certificates.readiness(period), wb.team.members(period), wb.team.assignments(period)

        self.db.read(read, parent=self, on_success=self._shown)

    def _shown(self, read: tuple[list[UnitStatus], list[Member], dict[str, list[str]]]) -> None:
        self.statuses, self.members, by_evaluator = read
        self.assigned = {}
        for name, codes in by_evaluator.items():
            for code in codes:
                self.assigned.setdefault(code, []).append(name)
        self._fill()

    def _fill(self) -> None:
        self.team.setRowCount(len(self.members))
        for row, m in enumerate(self.members):
            values = (m.evaluator, str(len(m.units)), fingerprint(m.key_id) if m.key_id else "–",
                      tr("#{number} · {when}", number=m.kit_sequence, when=local_time(m.kit_issued_at))
                      if m.kit_sequence else "–",
                      tr("#{number} · {when}", number=m.package_sequence, when=local_time(m.package_received_at))
                      if m.package_sequence else "–",
                      f"{m.scored}/{m.total}", str(m.final))
            for column, text in enumerate(values):
                self.team.setItem(row, column, QTableWidgetItem(text))
        self.team.resizeColumnsToContents()
        kits = sum(1 for m in self.members if m.kit_sequence)
        packages = sum(1 for m in self.members if m.package_sequence)
        self.team_summary.setText(tr("{count} evaluator · {kits} kit terkirim · {packages} mengirim paket",
                                     count=len(self.members), kits=kits, packages=packages) if self.members else
                                  tr("Belum ada penugasan: tugaskan dari lembar (kode_unit, evaluator), atau pilih "
                                     "unit di tabel bawah"))

        shown = [s for s in self.statuses if not (self.only_waiting.isChecked() and (s.ready or s.certificate))]
        ready = sum(1 for s in self.statuses if s.ready)
        self.summary.setText(tr("{ready} dari {total} unit siap untuk piagam", ready=ready, total=len(self.statuses)))
        self.table.setRowCount(len(shown))
        for row, s in enumerate(shown):
            team = " · ".join(f"{e.unit} {e.scored}/{e.total} {tr(STATUS_LABELS[e.status])}" for e in s.evaluators)
            verdict = s.certificate or (tr("siap") if s.ready else "; ".join(tr(REASONS[r]) for r in s.reasons))
            cells = (s.unit, s.name, ", ".join(self.assigned.get(s.unit, [])) or "–", team or "–",
                     str(s.conflicts or ""), decimal(s.ipp), s.category or "–", verdict)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 7:
                    item.setForeground(READY if s.ready else NOT_READY)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()

    # --- assignments and kits ---------------------------------------------------------------------

    def selected_units(self) -> list[str]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [item.text() for row in rows if (item := self.table.item(row, 0)) is not None]

    def selected_evaluators(self) -> list[str]:
        rows = sorted({index.row() for index in self.team.selectionModel().selectedRows()})
        return [item.text() for row in rows if (item := self.team.item(row, 0)) is not None]

    def _on_assign_sheet_clicked(self) -> None:
        kind = tr("Lembar kerja")
        path, _ = QFileDialog.getOpenFileName(self, tr("Tugaskan dari lembar"), self.folder(), f"{kind} ({SHEETS})")
        if path:
            self.assign_from_sheet(Path(path))

    def assign_from_sheet(self, path: Path) -> None:
        """Assign units from a sheet (kode_unit, evaluator); every problem is shown, nothing is half-done."""
        period = self.period

        def failed(exc: BaseException) -> None:
            problems = getattr(exc, "problems", [])
            warn(self, tr("Penugasan gagal"), "\n".join([str(exc), *(str(p) for p in problems[1:20])]))

        self.db.write(lambda wb, progress, cancel: wb.exchange.import_assignments(path, period=period), parent=self,
                      on_failure=failed, on_success=lambda done: self.message.emit(tr(
                          "{count} penugasan baru dari {file} ({names})", count=done.added, file=path.name,
                          names=", ".join(done.evaluators))))

    def _on_assign_selected_clicked(self) -> None:
        units = self.selected_units()
        if not units:
            self.message.emit(tr("Pilih unit di tabel bawah lebih dahulu (Ctrl+klik untuk beberapa)"))
            return
        known = sorted({m.evaluator for m in self.members} | set(self.db.reader.registry.evaluators()))
        name, ok = QInputDialog.getItem(self, tr("Tugaskan unit terpilih"),
                                        tr("Evaluator untuk {count} unit (ketik nama baru bila perlu):",
                                           count=len(units)), known, 0, True)
        if ok and name.strip():
            self.assign(units, name.strip())

    def assign(self, units: list[str], evaluator: str, *, remove: bool = False) -> None:
        """Assign (or, with `remove`, take away) units to one evaluator; scores already made stay."""
        period = self.period
        self.db.write(lambda wb, progress, cancel: wb.team.assign([(u, evaluator) for u in units], period=period,
                                                                  remove=remove),
                      parent=self, on_failure=lambda exc: warn(self, tr("Penugasan gagal"), str(exc)),
                      on_success=lambda done: self.message.emit(
                          tr("{count} unit dicabut dari {name}; nilai yang sudah ada tetap", count=done.added,
                             name=evaluator) if remove else
                          tr("{count} unit ditugaskan kepada {name}", count=done.added, name=evaluator)))

    def _on_unassign_clicked(self) -> None:
        units = self.selected_units()
        names = sorted({name for unit in units for name in self.assigned.get(unit, [])})
        if not names:
            self.message.emit(tr("Pilih unit yang sudah ditugaskan di tabel bawah lebih dahulu"))
            return
        name, ok = QInputDialog.getItem(self, tr("Cabut penugasan"), tr("Cabut {count} unit dari evaluator:",
                                                                        count=len(units)), names, 0, False)
        if ok:
            self.assign(units, name, remove=True)

    def _on_export_kits_clicked(self) -> None:
        names = self.selected_evaluators() or [m.evaluator for m in self.members if m.units]
        if not names:
            self.message.emit(tr("Belum ada evaluator yang ditugasi unit"))
            return
        folder = QFileDialog.getExistingDirectory(self, tr("Folder untuk kit ({count} evaluator)", count=len(names)),
                                                  self.folder())
        if folder:
            passphrase = self.ask_passphrase()
            if passphrase:
                self.export_kits(names, Path(folder), passphrase)

    def export_kits(self, names: list[str], folder: Path, passphrase: str) -> None:
        """Write one kit per evaluator into `folder` (sealed with `passphrase`), with progress and cancel."""
        period = self.period

        def write(wb: Workbook, progress: ProgressCallback, cancel: CancelToken) -> list[KitExported]:
            done = []
            for n, name in enumerate(names):
                cancel.check()
                report(progress, n, len(names), tr("kit untuk {name}", name=name))
                done.append(wb.kits.export(folder / kit_name(name, period), evaluator=name, passphrase=passphrase,
                                           period=period))
            return done

        self.db.write(write, parent=self, label=tr("Menulis kit…"),
                      on_failure=lambda exc: warn(self, tr("Kit tidak ditulis"), str(exc)),
                      on_success=lambda done: self.message.emit(tr(
                          "{count} kit di {folder}; beri tahu kata sandinya kepada setiap evaluator lewat telepon",
                          count=len(done), folder=folder)))

    def _ask_passphrase(self) -> str | None:
        """A new passphrase for kits, typed twice; None when cancelled or not usable (said why)."""
        prompt = tr("Kata sandi untuk kit (minimal {count} karakter; sampaikan kepada evaluator lewat telepon):",
                    count=MIN_PASSPHRASE)
        first, ok = QInputDialog.getText(self, tr("Kata sandi kit"), prompt, QLineEdit.EchoMode.Password)
        if not ok:
            return None
        again, ok = QInputDialog.getText(self, tr("Kata sandi kit"), tr("Ulangi kata sandi:"),
                                         QLineEdit.EchoMode.Password)
        try:
            if ok and again != first:
                raise WorkbenchError("Kedua kata sandi tidak sama")
            return check_passphrase(first) if ok else None
        except WorkbenchError as exc:
            warn(self, tr("Kata sandi kit"), str(exc))
            return None
