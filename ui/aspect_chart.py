"""A horizontal bar chart of a unit's six aspects on the 0-5 scale, drawn with QPainter."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from workbench.i18n import tr


class AspectChart(QWidget):
    """Bars for (aspect name, score 0-5) pairs, with the value written at the end of each bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[tuple[str, float]] = []
        self.setMinimumHeight(170)

    def set_bars(self, bars: list[tuple[str, float]]) -> None:
        self.bars = bars
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(420, 200)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self.bars:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, tr("Pilih unit untuk melihat rinciannya"))
            return
        metrics = painter.fontMetrics()
        label_width = min(max(metrics.horizontalAdvance(name) for name, _ in self.bars) + 12, self.width() // 2)
        row = (self.height() - 24) / len(self.bars)
        plot = self.width() - label_width - 48
        axis = QColor(self.palette().text().color())
        axis.setAlpha(60)
        for tick in range(6):  # grid lines at 0..5
            x = label_width + plot * tick / 5
            painter.setPen(axis)
            painter.drawLine(int(x), 4, int(x), int(self.height() - 20))
            painter.setPen(self.palette().text().color())
            painter.drawText(QRectF(x - 10, self.height() - 18, 20, 16), Qt.AlignmentFlag.AlignCenter, str(tick))
        for n, (name, value) in enumerate(self.bars):
            top = 4 + n * row
            painter.setPen(self.palette().text().color())
            elided = metrics.elidedText(name, Qt.TextElideMode.ElideRight, label_width - 8)
            painter.drawText(QRectF(0, top, label_width - 8, row), Qt.AlignmentFlag.AlignVCenter
                             | Qt.AlignmentFlag.AlignRight, elided)
            hue = int(120 * max(0.0, min(value, 5.0)) / 5)  # red (0) to green (5)
            painter.fillRect(QRectF(label_width, top + row * 0.2, plot * value / 5, row * 0.6),
                             QColor.fromHsv(hue, 170, 200))
            painter.drawText(QRectF(label_width + plot * value / 5 + 4, top, 44, row),
                             Qt.AlignmentFlag.AlignVCenter, f"{value:.2f}")
