"""Mulai: the first screen of a new user, and of anyone starting something else: a new evaluation, a
database to open, the recent ones, or the example data to try the app on."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.settings import default_database
from workbench.i18n import tr


class StartDialog(QDialog):
    """Closes with `choice` set: ("new", None), ("kit", None), ("open", None), ("recent", path) or ("demo", None)."""

    def __init__(self, recent: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Mulai"))
        self.choice: tuple[str, Path | None] = ("", None)
        title = QLabel(tr("Meja Kerja Evaluasi Pelayanan Publik"))
        title.setStyleSheet("font-size: 18pt; font-weight: 600;")
        intro = QLabel(tr("Menilai unit pelayanan publik tanpa jaringan (PEKPPP, SKM): isi nilai, gabungkan "
                          "penilaian tim, terbitkan hasil dan piagam."))
        intro.setWordWrap(True)
        buttons = QVBoxLayout()
        for key, text, hint in (
                ("new", tr("&Evaluasi baru…"), tr("Buat basis data untuk satu periode evaluasi")),
                ("kit", tr("Buka &kit penugasan…"), tr("Evaluator: laptop ini disiapkan dari kit (.wbkit) kiriman "
                                                      "ketua tim: unit Anda, klaim, dan kunci Anda")),
                ("open", tr("&Buka basis data…"), tr("Buka berkas .sqlite yang sudah ada")),
                ("demo", tr("&Coba data contoh"), tr("Jelajahi aplikasi dengan periode contoh yang ditandai"))):
            button = QPushButton(text)
            button.setToolTip(hint)
            button.setMinimumHeight(40)
            button.clicked.connect(lambda _=False, k=key: self._choose(k))
            buttons.addWidget(button)
            if key == "new":
                button.setDefault(True)
                self.new_button = button
        buttons.addStretch()
        self.recent = QListWidget()
        self.recent.setAccessibleName(tr("Basis data terakhir"))
        example = str(default_database().resolve())
        for path in recent:
            label = tr("{name} (data contoh)", name=Path(path).name) if path == example else \
                f"{Path(path).name}  ·  {Path(path).parent}"
            item = QListWidgetItem(label)
            item.setToolTip(path)
            item.setData(Qt.ItemDataRole.UserRole, path)
            self.recent.addItem(item)
        self.recent.itemActivated.connect(self._on_recent_activated)
        right = QVBoxLayout()
        right.addWidget(QLabel(tr("Basis data terakhir (Enter untuk membuka):")))
        right.addWidget(self.recent, 1)
        columns = QHBoxLayout()
        columns.addLayout(buttons, 1)
        columns.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addLayout(columns, 1)
        self.resize(720, 380)

    def _choose(self, key: str, path: Path | None = None) -> None:
        self.choice = (key, path)
        self.accept()

    def _on_recent_activated(self, item: QListWidgetItem) -> None:
        self._choose("recent", Path(str(item.data(Qt.ItemDataRole.UserRole))))
