"""Labels that name a field and give it an Alt+letter."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


def buddy(text: str, field: QWidget) -> QLabel:
    """A label for `field`: its mnemonic (the letter after "&") moves the focus there."""
    label = QLabel(text)
    label.setBuddy(field)
    return label
