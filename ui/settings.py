"""Every setting of the app declared once, typed, with its default, over QSettings.

`setting/...` keys are user preferences; `persist/...` keys are remembered window state.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

ORGANIZATION = "pekppp-workbench"
APPLICATION = "workbench"
MAX_RECENT = 8


@dataclass(frozen=True)
class Option:
    key: str
    default: object
    type: type


OPTIONS: dict[str, Option] = {o.key: o for o in (
    Option("setting/language", "id", str),
    Option("setting/evaluator", "", str),
    Option("setting/user", "", str),  # the name last given in this app: the first guess for another database
    Option("persist/geometry", QByteArray(), QByteArray),
    Option("persist/window_state", QByteArray(), QByteArray),
    Option("persist/entry_splitter", QByteArray(), QByteArray),
    Option("persist/results_splitter", QByteArray(), QByteArray),
    Option("persist/results_header", QByteArray(), QByteArray),
    Option("persist/recent_files", [], list),
    Option("persist/last_folder", "", str),
    Option("persist/certificate_folder", "", str),  # where certificates and reports are written
    Option("persist/last_database", "", str),
    Option("persist/tab", 0, int),
    Option("persist/identities", "", str),  # who works in each database, as JSON (see ui.identity)
)}


class Settings:
    """Typed access to QSettings; build with `from_app()` or, in tests, `from_file(path)`."""

    def __init__(self, store: QSettings) -> None:
        self.store = store

    @classmethod
    def from_app(cls) -> Settings:
        return cls(QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION))

    @classmethod
    def from_file(cls, path: str | Path) -> Settings:
        return cls(QSettings(str(path), QSettings.Format.IniFormat))

    def get(self, key: str) -> object:
        option = OPTIONS[key]
        value = self.store.value(key, option.default)
        if option.type is list:  # an INI list of one item comes back as a plain string
            if value in (None, ""):
                return []
            return [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
        if option.type is QByteArray:
            return value if isinstance(value, QByteArray) else option.default
        return option.type(value)

    def text(self, key: str) -> str:
        return str(self.get(key))

    def number(self, key: str) -> int:
        value = self.get(key)
        return value if isinstance(value, int) else int(str(value))

    def state(self, key: str) -> QByteArray:
        """Saved window, header or splitter state (empty when none was saved)."""
        value = self.get(key)
        return value if isinstance(value, QByteArray) else QByteArray()

    def paths(self, key: str) -> list[str]:
        value = self.get(key)
        return [str(p) for p in value] if isinstance(value, list) else []

    def set(self, key: str, value: object) -> None:
        OPTIONS[key]
        self.store.setValue(key, value)
        self.store.sync()

    def add_recent(self, path: str | Path) -> list[str]:
        """Put a database first in the recent list (without duplicates) and return the list."""
        path = str(Path(path).resolve())
        recent = [path, *(p for p in self.paths("persist/recent_files") if p != path)][:MAX_RECENT]
        self.set("persist/recent_files", recent)
        self.set("persist/last_database", path)
        return recent


def default_database() -> Path:
    """workbench.sqlite in the user's data folder, e.g. ~/.local/share/pekppp-workbench/."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    return Path(base) / ORGANIZATION / "workbench.sqlite"
