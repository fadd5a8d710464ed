"""Bandingkan entri: the fields of the printed sheets whose two keyings differ, side by side with who keyed
them, to be settled from the paper; the operators' discrepancy rates above them."""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.database import Database
from workbench import Workbook
from workbench.domain.respondents import PROFILE_LABELS
from workbench.i18n import decimal, tr
from workbench.surveys.double_entry import Comparison, Difference

PAPER = 6  # the column of the value read from the paper


class DoubleEntryDialog(QDialog):
    """The differences of a unit's sheets (or of every unit), settled a sheet at a time with one reason."""

    def __init__(self, db: Database, period: str, unit: str | None, form: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.period, self.unit, self.form = db, period, unit, form
        self.setWindowTitle(tr("Bandingkan entri ganda · {unit}", unit=unit or tr("semua unit")))
        self.resize(900, 520)
        self.differences: list[Difference] = []
        self.chosen: dict[tuple[str, int, str], object] = {}  # (unit, serial, field) -> the value on the paper
        # replaceable so that tests can answer without a modal dialog
        self.ask_reason = lambda: QInputDialog.getText(self, tr("Alasan"), tr("Alasan keputusan (log audit):"))
        inst = db.reader.surveys.instrument(form)
        # a field as the grid and the paper call it: U3 and its question (SKM), the item's code (F-03), a profile field
        self.names = {u.key: (f"U{n} · {u.name}" if form == "skm" else f"{u.key} · {u.name}")
                      for n, u in enumerate(inst.unsur, start=1)} | {k: tr(PROFILE_LABELS[k]) for k in PROFILE_LABELS}
        self.options, self.lowest = {u.key: u.options for u in inst.unsur}, inst.scale_min
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, PAPER + 1)
        self.table.setHorizontalHeaderLabels([tr("Lembar"), tr("Butir"), tr("Entri 1"), tr("Entri 2"), tr("Pengetik 1"),
                                              tr("Pengetik 2"), tr("Menurut kertas")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setStretchLastSection(True)
        first, second = QPushButton(tr("Pakai entri &1")), QPushButton(tr("Pakai entri &2"))
        first.clicked.connect(lambda: self.choose(1))
        second.clicked.connect(lambda: self.choose(2))
        save = QPushButton(tr("&Simpan keputusan…"))
        save.clicked.connect(self.save)
        row = QHBoxLayout()
        for button in (first, second, save):
            button.setAutoDefault(False)
            row.addWidget(button)
        row.addStretch()
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        self.message = QLabel()  # what the last button did, just below the buttons
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.reload()

    def reload(self) -> None:
        """Read the comparison again (the reader thread is not needed: one unit's sheets, a few rows each)."""
        found = self.db.reader.surveys.compare(self.period, unit=self.unit, form=self.form)
        self.differences = found.differences
        self.summary.setText(_summary(found))
        self.table.setRowCount(len(self.differences))
        for n, d in enumerate(self.differences):
            chosen = self.chosen.get((d.unit, d.serial, d.field), "")
            shown = (d.code, self.names.get(d.field, d.field), self._value(d.field, d.first),
                     self._value(d.field, d.second), d.first_by, d.second_by, self._value(d.field, chosen))
            for column, value in enumerate(shown):
                self.table.setItem(n, column, QTableWidgetItem("" if value is None else str(value)))
        self.table.resizeColumnsToContents()
        if self.differences and self.table.currentRow() < 0:
            self.table.setCurrentCell(0, 0)

    def _value(self, field: str, value: object) -> object:
        """An answer as the paper shows it too: 3 (c. Sesuai) on an SKM form."""
        options = self.options.get(field, ())
        if isinstance(value, int) and 0 <= value - self.lowest < len(options):
            return f"{value} ({chr(97 + value - self.lowest)}. {options[value - self.lowest]})"
        return value

    def choose(self, entry: int) -> None:
        """The selected fields as the first (or second) keying says them, read from the paper."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        for row in rows:
            d = self.differences[row]
            value = d.first if entry == 1 else d.second
            self.chosen[(d.unit, d.serial, d.field)] = value
            self.table.setItem(row, PAPER, QTableWidgetItem("" if value is None else str(self._value(d.field, value))))
        if rows and rows[-1] + 1 < self.table.rowCount():  # on to the next difference
            self.table.selectRow(rows[-1] + 1)

    def save(self) -> None:
        """Settle every sheet whose differing fields all have a value from the paper, with one reason."""
        by_sheet: dict[tuple[str, int], list[Difference]] = defaultdict(list)
        for d in self.differences:
            by_sheet[(d.unit, d.serial)].append(d)
        ready = {sheet: {d.field: self.chosen[(d.unit, d.serial, d.field)] for d in fields}
                 for sheet, fields in by_sheet.items()
                 if all((d.unit, d.serial, d.field) in self.chosen for d in fields)}
        if not ready:
            self.message.setText(tr("Pilih dahulu isian menurut kertas untuk semua butir yang berbeda pada lembarnya"))
            return
        reason, ok = self.ask_reason()
        if not ok or not reason.strip():
            return
        form, period = self.form, self.period

        def job(wb: Workbook, progress: object, cancel: object) -> int:
            with wb.transaction():
                for (unit, serial), values in ready.items():
                    wb.surveys.reconcile(unit, serial, form=form, values=values, reason=reason, period=period)
            return len(ready)

        self.db.write(job, parent=self, on_failure=lambda exc: self.message.setText(str(exc)),
                      on_success=self._saved)

    def _saved(self, count: int) -> None:
        self.message.setText(tr("{count} lembar diputuskan", count=count))
        self.reload()


def _summary(found: Comparison) -> str:
    lines = [tr("{agreed} lembar sama, {decided} diputuskan, {different} berbeda, {waiting} menunggu entri kedua",
                agreed=found.agreed, decided=found.decided, different=len({d.code for d in found.differences}),
                waiting=sum(found.waiting.values()))]
    lines += [tr("{operator}: {sheets} lembar, {differing} dari {fields} isian berbeda ({rate}%)",
                 operator=r.operator, sheets=r.sheets, differing=r.differing, fields=r.fields,
                 rate=decimal(100 * r.rate, 1)) for r in found.rates]
    if found.same_hands:
        lines.append(tr("Perhatian: {count} lembar diketik dua kali oleh orang yang sama; entri ganda mengandaikan "
                        "dua orang", count=found.same_hands))
    return "\n".join(lines)
