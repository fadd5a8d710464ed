"""The entry screen's two lists: the units under their institutions with their progress, and the unit's
indicators under their aspects with their scores."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem

from workbench.domain.instrument import Instrument
from workbench.domain.values import STATUS_LABELS
from workbench.i18n import pick, tr
from workbench.observations import UnitProgress
from workbench.registry import Unit

CodeRole = Qt.ItemDataRole.UserRole + 1
LeftRole = Qt.ItemDataRole.UserRole + 2  # how many indicators of a unit are still unscored


def score_text(score: int | None) -> str:
    """A score as the lists show it: the digit, or a dash when there is none."""
    return "–" if score is None else str(score)


class _TwoLevels(QTreeWidget):
    """Groups that cannot be chosen, and the items under them, with a code each; the name column stretches."""

    def __init__(self, headers: list[str], name: str) -> None:
        super().__init__()
        self.setHeaderLabels(headers)
        self.setAccessibleName(name)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)

    def group(self, text: str) -> QTreeWidgetItem:
        parent = QTreeWidgetItem(self, [text])
        parent.setToolTip(0, text)
        parent.setFlags(parent.flags() & ~Qt.ItemFlag.ItemIsSelectable)
        parent.setExpanded(True)
        return parent

    def leaves(self) -> list[QTreeWidgetItem]:
        """The items under the groups, in order."""
        found = []
        for i in range(self.topLevelItemCount()):
            group = self.topLevelItem(i)
            if group is not None:
                found += [child for j in range(group.childCount()) if (child := group.child(j)) is not None]
        return found

    def codes(self) -> list[str]:
        return [str(item.data(0, CodeRole)) for item in self.leaves()]


class UnitNavigator(_TwoLevels):
    """Institutions and their units, each with how much is scored and its lowest status."""

    def __init__(self) -> None:
        super().__init__([tr("Instansi / unit"), tr("Progres")], tr("Daftar unit"))

    def fill(self, units: Iterable[Unit], progress: dict[str, UnitProgress],
             keep: str | None) -> QTreeWidgetItem | None:
        """List the units (signals blocked); the item of `keep`, when listed, is returned."""
        self.blockSignals(True)
        self.clear()
        parents: dict[str, QTreeWidgetItem] = {}
        kept = None
        for unit in units:
            parent = parents.get(unit.institution) or parents.setdefault(unit.institution, self.group(unit.institution))
            item = QTreeWidgetItem(parent, [f"{unit.code} · {unit.name}", ""])
            item.setData(0, CodeRole, unit.code)
            item.setToolTip(0, f"{unit.code} · {unit.name}")  # the column cuts long names
            self.show_progress(item, progress[unit.code])
            if unit.code == keep:
                kept = item
        self.blockSignals(False)
        return kept

    def show_progress(self, item: QTreeWidgetItem, progress: UnitProgress) -> None:
        item.setData(1, LeftRole, progress.total - progress.scored)  # N looks here for a unit with work left
        item.setText(1, f"{progress.scored}/{progress.total} · {tr(STATUS_LABELS[progress.status])}")

    def item_of(self, code: str) -> QTreeWidgetItem | None:
        return next((i for i in self.leaves() if str(i.data(0, CodeRole)).casefold() == code.casefold()), None)

    def next_with_work(self, after: str | None) -> str | None:
        """The first unit after `after` (wrapping around) with indicators left to score."""
        items = self.leaves()
        codes = [str(item.data(0, CodeRole)) for item in items]
        start = codes.index(after) if after in codes else -1
        for offset in range(1, len(codes) + 1):
            n = (start + offset) % len(codes)
            if codes[n] != after and items[n].data(1, LeftRole):
                return codes[n]
        return None


class IndicatorList(_TwoLevels):
    """A unit's indicators under their aspects, each with its score."""

    def __init__(self) -> None:
        super().__init__([tr("Indikator"), tr("Nilai")], tr("Daftar indikator"))
        self.by_code: dict[str, QTreeWidgetItem] = {}

    def fill(self, instrument: Instrument, scores: dict[str, int | None]) -> QTreeWidgetItem | None:
        """List the instrument's indicators with their scores (signals blocked); the first is returned."""
        self.blockSignals(True)
        self.clear()
        self.by_code = {}
        for aspect in instrument.aspects:
            parent = self.group(f"{aspect.code} · {pick(aspect.name, aspect.name_en)}")
            for ind in aspect.indicators:
                child = QTreeWidgetItem(parent, [f"{ind.code}  {ind.text}", score_text(scores.get(ind.code))])
                child.setData(0, CodeRole, ind.code)
                child.setToolTip(0, ind.text)
                self.by_code[ind.code] = child
        self.blockSignals(False)
        return next(iter(self.by_code.values()), None)

    def show_score(self, code: str, score: int | None) -> None:
        if code in self.by_code:
            self.by_code[code].setText(1, score_text(score))
