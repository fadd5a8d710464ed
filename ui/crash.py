"""What happens when something unexpected fails: the traceback goes to a rotating log in the data folder,
the user sees a plain message with what to do and can copy the details, and the app keeps running (every
write is one transaction, so the database is as it was before the failed step)."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from workbench.i18n import tr

log = logging.getLogger("workbench")
_log_file: Path | None = None


class _Messenger(QObject):
    """Lives on the GUI thread: a failure on any thread reaches the user through its queued signal."""

    failed = Signal(str)


_messenger: _Messenger | None = None


def log_file() -> Path | None:
    """The log file in use (named in Help → About), or None before `install`."""
    return _log_file


def install(folder: Path) -> Path:
    """Send unexpected exceptions of the GUI thread and of worker threads to `report`; log to
    `folder/workbench.log` (1 MB, three older files kept). Returns the log file's path."""
    global _log_file
    folder.mkdir(parents=True, exist_ok=True)
    _log_file = folder / "workbench.log"
    if not any(isinstance(h, RotatingFileHandler) for h in log.handlers):
        handler = RotatingFileHandler(_log_file, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    global _messenger
    if _messenger is None:
        _messenger = _Messenger()
        _messenger.failed.connect(show)
    sys.excepthook = report
    threading.excepthook = lambda args: report(args.exc_type, args.exc_value or args.exc_type(),
                                               args.exc_traceback)
    return _log_file


def report(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Log an unexpected exception and tell the user (on the GUI thread, whichever thread failed)."""
    details = "".join(traceback.format_exception(kind, exc, tb))
    log.error("unexpected failure\n%s", details)
    if _messenger is None or QApplication.instance() is None:
        sys.__excepthook__(kind, exc, tb)
        return
    _messenger.failed.emit(details)


def show(details: str) -> QMessageBox:
    """The message a user sees after an unexpected failure, with a button that copies the details."""
    where = str(_log_file) if _log_file else tr("(tanpa berkas log)")
    box = QMessageBox(QMessageBox.Icon.Critical, tr("Terjadi kesalahan tak terduga"), tr(
        "Langkah terakhir tidak selesai karena kesalahan di aplikasi. Data Anda aman: basis data tetap seperti "
        "sebelum langkah itu. Anda dapat terus bekerja; bila kesalahan berulang, simpan pekerjaan, tutup "
        "aplikasi, lalu kirim rinciannya (tombol Salin rincian, atau berkas log {log}) kepada pengelola.",
        log=where), QMessageBox.StandardButton.Ok, QApplication.activeWindow())
    box.setDetailedText(details)
    copy = QPushButton(tr("Salin rincian"), box)  # owned by the box: Python alone would let it go
    box.addButton(copy, QMessageBox.ButtonRole.ActionRole)
    copy.clicked.disconnect()  # keep the box open after copying
    copy.clicked.connect(lambda: QApplication.clipboard().setText(details))
    box.setObjectName("crash-box")
    _shown.append(box)  # a box without a parent window lives as long as Python holds it
    box.finished.connect(lambda _: _shown.remove(box))
    box.open()
    return box


_shown: list[QMessageBox] = []
