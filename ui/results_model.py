"""The results table model: a thin adapter that pages cached results out of SQLite as the view asks."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from workbench import Workbook
from workbench.i18n import decimal, pick, tr
from workbench.results import UnitScore

PAGE = 200
UnitCodeRole = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex

# band colours, from green (A) to red (F); light enough for black text
BAND_COLOURS = {"A": "#1b9e4b", "A-": "#5cbf5c", "B": "#a6d96a", "B-": "#d9ef8b", "C": "#fee08b", "C-": "#fdae61",
                "D": "#f46d43", "E": "#d73027", "F": "#a50026"}


class ResultsTableModel(QAbstractTableModel):
    """Rows are fetched from the Workbook's results cache one page at a time, filtered and sorted there."""

    def __init__(self, wb: Workbook, period: str) -> None:
        super().__init__()
        self.wb, self.period = wb, period
        inst = wb.registry.scored_instrument(wb.registry.period(period))
        self.aspects = [a.code for a in inst.aspects if a.weight > 0]
        self.aspect_names = {a.code: f"{a.code} · {pick(a.name, a.name_en)}" for a in inst.aspects}
        self.columns = ["rank", "unit", "name", "institution", "ipp", "category", "label", *self.aspects,
                        "evaluators", "conflicts", "scored"]
        self.search: str = ""
        self.category: str | None = None
        self.order, self.descending = "rank", False
        self._count = 0
        self._pages: dict[int, list[UnitScore]] = {}
        self.reload()

    def headers(self) -> list[str]:
        names = {"rank": tr("Peringkat"), "unit": tr("Kode"), "name": tr("Unit"), "institution": tr("Instansi"),
                 "ipp": "IPP", "category": tr("Kategori"), "label": tr("Predikat"), "evaluators": tr("Evaluator"),
                 "conflicts": tr("Konflik"), "scored": tr("Dinilai")}
        return [names.get(c, c) for c in self.columns]

    def reload(self) -> None:
        """Forget fetched pages and count the rows matching the current filter."""
        self.beginResetModel()
        self._pages.clear()
        self._count = self.wb.results.count(self.period, search=self.search, category=self.category)
        self.endResetModel()

    def set_filter(self, *, search: str, category: str | None) -> None:
        self.search, self.category = search, category
        self.reload()

    def row(self, number: int) -> UnitScore:
        page = number // PAGE
        if page not in self._pages:
            self._pages[page] = self.wb.results.page(self.period, search=self.search, category=self.category,
                                                      order=self.order, descending=self.descending,
                                                      offset=page * PAGE, limit=PAGE)
        return self._pages[page][number % PAGE]

    def fetched_row_of(self, unit: str) -> int | None:
        """The row of a unit among the pages fetched so far (None when it is not among them)."""
        for page, rows in self._pages.items():
            for n, row in enumerate(rows):
                if row.unit == unit:
                    return page * PAGE + n
        return None

    # --- QAbstractTableModel ---------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return self.aspect_names.get(self.columns[section], self.headers()[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        result = self.row(index.row())
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(result, column)
        if role == UnitCodeRole:
            return result.unit
        if role == Qt.ItemDataRole.BackgroundRole and column == "category" and result.category:
            return QColor(BAND_COLOURS.get(result.category, "#ffffff"))
        if role == Qt.ItemDataRole.ForegroundRole and column == "category" and result.category:
            return QColor("#ffffff" if result.category in ("A", "E", "F") else "#000000")
        if role == Qt.ItemDataRole.ForegroundRole and column == "conflicts" and result.conflicts:
            return QColor("#c62828")
        if role == Qt.ItemDataRole.TextAlignmentRole and column not in ("name", "institution", "label", "unit"):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _display(self, r: UnitScore, column: str) -> object:
        if column in self.aspects:
            share = r.aspects.get(column)
            return "" if share is None else decimal(share)
        shown: dict[str, object] = {
            "rank": r.rank, "unit": r.unit, "name": r.name, "institution": r.institution,
            "ipp": None if r.ipp is None else decimal(r.ipp), "category": r.category,
            "label": pick(r.label, r.label_en or "") if r.label else None, "evaluators": r.evaluators,
            "conflicts": r.conflicts or "", "scored": f"{r.scored}/{r.total}"}
        return "–" if shown[column] is None else shown[column]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns[column]
        self.order = "ipp" if key == "label" else key
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.reload()
