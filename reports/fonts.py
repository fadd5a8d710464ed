"""Fonts embedded in every PDF: Bitstream Vera, which ships with reportlab (so no system font is needed).

Each PDF embeds a subset of each font. Done naively, a batch of certificates subsets and compresses the
same three fonts again for every file (a third of a certificate's time). Here every document starts its
subsets with the same letters, so documents of ordinary text share identical subsets, and each subset is
built and compressed once per process.
"""

from __future__ import annotations

import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

import reportlab
from reportlab import rl_config
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR, BOLD, ITALIC = "Vera", "VeraBd", "VeraIt"
# first in every document's subset, in this order: what certificates and reports print nearly always
PRIMER = "".join(map(chr, range(32, 127))) + "·–—“”‘’"
_registered = False


class _Remembered:
    """The last few results of a costly function of bytes-like keys, safe to share between threads."""

    def __init__(self, keep: int) -> None:
        self._keep, self._lock, self._done = keep, threading.Lock(), OrderedDict[object, bytes]()

    def get(self, key: object, make: Callable[[], bytes]) -> bytes:
        # `make` runs under the lock too: reportlab's subsetting moves a read position kept in the shared font
        with self._lock:
            if key in self._done:
                self._done.move_to_end(key)
                return self._done[key]
            made = self._done[key] = make()
            if len(self._done) > self._keep:
                self._done.popitem(last=False)
            return made


class _SubsetOnce(TTFont):
    """A TrueType font whose subsets start alike in every document and are built once."""

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        built = _Remembered(keep=8)
        make = self.face.makeSubset

        def subset_once(subset: list[int]) -> bytes:
            return built.get(tuple(subset), lambda: make(subset))

        setattr(self.face, "makeSubset", subset_once)  # noqa: B010  (an instance's own attribute, not a class's)

    def splitString(self, text: str | bytes, doc: object, encoding: str = "utf-8") -> list[tuple[int, bytes]]:
        if doc not in self.state:
            super().splitString(PRIMER, doc, encoding)
        return super().splitString(text, doc, encoding)


class _FlateOnce(pdfdoc.PDFStreamFilterZCompress):
    """reportlab's Flate filter, remembering the compressed form of the last few large streams (the font
    subsets, identical from one certificate to the next); small streams are compressed as before."""

    LARGE = 4096

    def __init__(self) -> None:
        self._done = _Remembered(keep=16)

    def encode(self, text: str | bytes) -> bytes:
        data = text.encode("utf8") if isinstance(text, str) else text
        if len(data) < self.LARGE:
            return zlib.compress(data)
        return self._done.get(data, lambda: zlib.compress(data))


def register() -> None:
    """Register the embedded fonts once per process."""
    global _registered
    if _registered:
        return
    folder = Path(reportlab.__file__).parent / "fonts"
    for name in (REGULAR, BOLD, ITALIC):
        pdfmetrics.registerFont(_SubsetOnce(name, str(folder / f"{name}.ttf")))
    rl_config.canvas_basefontname = REGULAR  # else every page also names Helvetica, which is not embedded
    rl_config.useA85 = 0  # compressed streams stay binary: ASCII85 only makes files larger and slower
    # reportlab looks its one Flate filter up by this name each time it compresses a stream
    pdfdoc.PDFZCompress = _FlateOnce()
    _registered = True
