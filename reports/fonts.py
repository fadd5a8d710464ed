"""Fonts embedded in every PDF: Bitstream Vera, which ships with reportlab (so no system font is needed)."""

from __future__ import annotations

from pathlib import Path

import reportlab
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR, BOLD, ITALIC = "Vera", "VeraBd", "VeraIt"
_registered = False


def register() -> None:
    """Register the embedded fonts once per process."""
    global _registered
    if _registered:
        return
    folder = Path(reportlab.__file__).parent / "fonts"
    for name in (REGULAR, BOLD, ITALIC):
        pdfmetrics.registerFont(TTFont(name, str(folder / f"{name}.ttf")))
    rl_config.canvas_basefontname = REGULAR  # else every page also names Helvetica, which is not embedded
    rl_config.useA85 = 0  # compressed streams stay binary: ASCII85 only makes files larger and slower
    _registered = True
