"""Fonts embedded in every PDF: Bitstream Vera, which ships with reportlab (so no system font is needed).

Each PDF embeds a subset of each font. Done naively, a batch of certificates subsets and compresses the
same three fonts again for every file (a third of a certificate's time). Here every document starts its
subsets with the same letters, so documents of ordinary text share identical subsets, and each subset is
built once per process, and its PDF objects (compressed font file, widths, ToUnicode map) written once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

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


_WRITTEN = _Remembered(keep=64)  # about 12 objects for each document's fonts


class _SubsetOnce(TTFont):
    """A TrueType font whose subsets start alike in every document and are built once."""

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        built = _Remembered(keep=8)
        make = self.face.makeSubset

        def subset_once(subset: list[int]) -> bytes:
            return built.get(tuple(subset), lambda: make(subset))

        setattr(self.face, "makeSubset", subset_once)  # noqa: B010  (an instance's own attribute, not a class's)
        probe = _Probe()
        self.splitString("", probe)
        state: Any = self.state[probe]
        self.primed = len(state.assignments)  # letters with a code once a document's subsets start
        del self.state[probe]

    def splitString(self, text: str | bytes, doc: object, encoding: str = "utf-8") -> list[tuple[int, bytes]]:
        if doc not in self.state:
            super().splitString(PRIMER, doc, encoding)
        return super().splitString(text, doc, encoding)

    def addObjects(self, doc: pdfdoc.PDFDocument) -> None:
        """reportlab's objects for each subset (font, widths, ToUnicode map, descriptor, font file), each written
        out once per process: they are the same in every document whose subset and object numbers are the same,
        and writing them was half the time of saving a certificate."""
        state = self.state.get(doc)
        subsets = [] if state is None else [tuple(subset) for subset in state.subsets]
        names = [self.getSubsetInternalName(n, doc)[1:] for n in range(len(subsets))]
        super().addObjects(doc)
        encryption: object = doc.encrypt  # reportlab types it as NoEncryption; a canvas may be given another
        if not isinstance(encryption, pdfdoc.NoEncryption):
            return  # an encrypted document's objects differ from one document to the next
        objects = doc.idToObject
        for name, subset in zip(names, subsets, strict=True):
            font: Any = objects[name]  # reportlab's PDFTrueTypeFont, its attributes set one by one
            cmap, descriptor = font.ToUnicode.name, font.FontDescriptor.name
            file = cast(pdfdoc.PDFDictionary, objects[descriptor]).dict["FontFile2"].name
            for part, refs in ((cmap, ()), (file, ()), (descriptor, (file,)), (name, (cmap, descriptor))):
                objects[part] = _WrittenOnce((self.fontName, subset, part, doc.compression), objects[part], refs)


class _Probe:
    """Stands for a document while a font's first subset is measured."""


def shared_letters_only(doc: object) -> bool:
    """Whether the text a document holds so far uses only the letters every document's subsets start with,
    at the same codes: then its pages' drawing operators mean the same in any other document of these fonts
    (asked before the document is saved)."""
    for name in (REGULAR, BOLD, ITALIC):
        font = pdfmetrics.getFont(name)
        if not isinstance(font, _SubsetOnce):
            return False
        state: Any = font.state.get(doc)
        if state is not None and len(state.assignments) != font.primed:
            return False
    return True


class _WrittenOnce(pdfdoc.PDFObject):
    """A PDF object written out the first time and then taken from memory: `key` names what it holds, `refs`
    the objects it points to, whose numbers in the document are part of what it is."""

    def __init__(self, key: object, made: Any, refs: tuple[str, ...]) -> None:
        self.key, self.made, self.refs = key, made, refs

    def format(self, document: pdfdoc.PDFDocument) -> bytes:
        numbers = tuple(document.idToObjectNumberAndVersion[ref] for ref in self.refs)
        return _WRITTEN.get((self.key, numbers), lambda: self.made.format(document))


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
    _registered = True
