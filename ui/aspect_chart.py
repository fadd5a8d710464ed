"""A horizontal bar chart of a unit's aspects (0-5) or of survey scores (SKM 1-4), drawn with QPainter."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from workbench.i18n import decimal, tr


class AspectChart(QWidget):
    """Bars for (name, score) pairs on a scale from 0 to `maximum`, the value written at each bar's end."""

    def __init__(self, parent: QWidget | None = None, *, maximum: int = 5) -> None:
        super().__init__(parent)
        self.bars: list[tuple[str, float]] = []
        self.maximum = maximum
        self.empty_text = tr("Pilih unit untuk melihat rinciannya")
        self.setMinimumHeight(170)

    def set_bars(self, bars: list[tuple[str, float]]) -> None:
        self.bars = bars
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, 200)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self.bars:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            return
        metrics = painter.fontMetrics()
        label_width = min(max(metrics.horizontalAdvance(name) for name, _ in self.bars) + 12, self.width() // 2)
        row = (self.height() - 24) / len(self.bars)
        plot = self.width() - label_width - 48
        axis = QColor(self.palette().text().color())
        axis.setAlpha(60)
        top_value = self.maximum
        for tick in range(top_value + 1):  # grid lines at every whole value
            x = label_width + plot * tick / top_value
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
            share = max(0.0, min(value, top_value)) / top_value
            hue = int(120 * share)  # red (0) to green (the top of the scale)
            painter.fillRect(QRectF(label_width, top + row * 0.2, plot * share, row * 0.6),
                             QColor.fromHsv(hue, 170, 200))
            painter.drawText(QRectF(label_width + plot * share + 4, top, 44, row),
                             Qt.AlignmentFlag.AlignVCenter, decimal(value))
