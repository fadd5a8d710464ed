"""QR codes drawn as vector rectangles: one rectangle per horizontal run of dark modules.

A certificate's token is all in the QR code's alphanumeric set, and every code is made with mask 0: such a
code is made here from tables built once per version (the fixed modules, where each data bit goes, the
error-correction arithmetic), module for module what segno makes of the same text, about ten times sooner.
Anything else (a PP1 token's bytes) is made by segno."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import zip_longest
from operator import itemgetter
from typing import Any, cast

import segno
from reportlab.pdfgen.canvas import Canvas
from segno import consts
from segno import encoder as enc

_ALPHANUMERIC = consts.ALPHANUMERIC_CHARS.decode("ascii")
_PAIRS = {a + b: 45 * i + j for i, a in enumerate(_ALPHANUMERIC) for j, b in enumerate(_ALPHANUMERIC)}
_LETTERS = {a: i for i, a in enumerate(_ALPHANUMERIC)}
_ONLY_ALPHANUMERIC = re.compile(f"[{re.escape(_ALPHANUMERIC)}]+")
_FLIP = str.maketrans("01", "10")
_MASK_0 = 0  # segno's mask search costs 4 ms a code; mask 0 reads as well
_CAPACITY = cast(dict[int, dict[int, int]], consts.SYMBOL_CAPACITY)  # data bits by version and error level
_COUNT_BITS = consts.CHAR_COUNT_INDICATOR_LENGTH[consts.MODE_ALPHANUMERIC]
_ECC = cast(dict[int, dict[int, tuple[Any, ...]]], consts.ECC)  # the blocks by version and error level


@dataclass(frozen=True)
class _Layout:
    """What every code of one version and error level shares."""

    side: int
    capacity: int  # data bits
    count_bits: int  # the length of the character count
    blocks: tuple[int, ...]  # data codewords of each block
    ecc_rows: tuple[int, ...]  # coefficient -> that multiple of the generator polynomial, as one integer
    ecc_bytes: int
    remainder: int  # zero bits after the codewords
    cells: tuple[int, ...]  # each module -> its index in the stream, the stream flipped, or "01"


@cache
def _layout(version: int, error: int) -> _Layout:
    side = enc.calc_matrix_size(version)
    matrix = enc.make_matrix(side, side)
    enc.add_finder_patterns(matrix, side, side)
    enc.add_alignment_patterns(matrix, side, side)
    order = []  # the data modules in the order codewords fill them (ISO/IEC 18004, 7.7.3), as segno does
    for right in range(side - 1, 0, -2):
        right -= right <= 6
        for vertical in range(side):
            for j in (right, right - 1):
                i = side - 1 - vertical if ((right & 2) == 0) ^ (j < 6) else vertical
                if matrix[i][j] == 0x2:
                    order.append((i, j))
    fixed = tuple(bytearray(0 if v == 0x2 else v for v in row) for row in matrix)
    enc.add_format_info(fixed, version, error, _MASK_0)
    enc.add_version_info(fixed, version)
    mask = enc.get_data_mask_functions(False)[_MASK_0]
    stream = len(order)
    cells = [2 * stream + fixed[i][j] for i in range(side) for j in range(side)]
    for k, (i, j) in enumerate(order):
        cells[i * side + j] = k + (stream if mask(i, j) else 0)
    ec_infos = _ECC[version][error]
    ecc_bytes = ec_infos[0].num_total - ec_infos[0].num_data
    gen, exp, log = consts.GEN_POLY[ecc_bytes], consts.GALIOS_EXP, consts.GALIOS_LOG
    rows = (0, *(int.from_bytes(bytes(exp[log[c] + g] for g in gen), "big") for c in range(1, 256)))
    blocks = tuple(ec.num_data for ec in ec_infos for _ in range(ec.num_blocks))
    codeword_bits = 8 * (sum(blocks) + ecc_bytes * len(blocks))
    return _Layout(side, _CAPACITY[version][error], _COUNT_BITS[enc.version_range(version)],
                   blocks, rows, ecc_bytes, stream - codeword_bits, tuple(cells))


def _plan(length: int) -> tuple[int, int] | None:
    """(version, error level) segno chooses for `length` alphanumeric letters at level M: the smallest version
    that holds them, at the highest level that version still holds them with."""
    data = 11 * (length // 2) + 6 * (length % 2)
    for version in range(1, 41):
        bits = 4 + _COUNT_BITS[enc.version_range(version)] + data
        if _CAPACITY[version][consts.ERROR_LEVEL_M] >= bits:
            error = consts.ERROR_LEVEL_M
            for better in (consts.ERROR_LEVEL_Q, consts.ERROR_LEVEL_H):
                if _CAPACITY[version][better] < bits:
                    break
                error = better
            return version, error
    return None


def _ecc(data: bytes, layout: _Layout) -> bytes:
    """Reed-Solomon error correction of one block: the remainder of its division by the generator polynomial."""
    size, rows, rem = 8 * (layout.ecc_bytes - 1), layout.ecc_rows, 0
    whole = (1 << (8 * layout.ecc_bytes)) - 1
    for byte in data:
        rem = ((rem << 8) & whole) ^ rows[byte ^ (rem >> size)]
    return rem.to_bytes(layout.ecc_bytes, "big")


def qr_modules(text: str) -> tuple[int, list[str]] | None:
    """(modules a side, each row as '0'/'1') of `text`'s code as segno makes it with mask 0 at level M, for an
    alphanumeric text; None for any other."""
    if not _ONLY_ALPHANUMERIC.fullmatch(text) or text.isdigit():
        return None
    plan = _plan(len(text))
    if plan is None:
        return None
    layout = _layout(*plan)
    value, bits = 0b0010, 4  # the alphanumeric mode
    value, bits = (value << layout.count_bits) | len(text), bits + layout.count_bits
    for k in range(0, len(text) - 1, 2):
        value = (value << 11) | _PAIRS[text[k:k + 2]]
    bits += 11 * (len(text) // 2)
    if len(text) % 2:
        value, bits = (value << 6) | _LETTERS[text[-1]], bits + 6
    terminator = min(layout.capacity - bits, 4)
    padding = 8 - (bits + terminator) % 8  # a whole zero byte when already on a byte boundary, as segno writes
    value, bits = value << (terminator + padding), bits + terminator + padding
    data = value.to_bytes(bits // 8, "big") + (b"\xec\x11" * layout.capacity)[:layout.capacity // 8 - bits // 8]
    blocks, start = [], 0
    for size in layout.blocks:
        blocks.append(data[start:start + size])
        start += size
    message = bytes(b for column in zip_longest(*blocks) for b in column if b is not None) + bytes(
        b for column in zip(*(_ecc(block, layout) for block in blocks), strict=True) for b in column)
    stream = format(int.from_bytes(message, "big"), f"0{8 * len(message)}b") + "0" * layout.remainder
    flat = "".join(itemgetter(*layout.cells)(stream + stream.translate(_FLIP) + "01"))
    side = layout.side
    return side, [flat[i:i + side] for i in range(0, side * side, side)]


@lru_cache(maxsize=64)  # a batch draws each certificate twice: its own PDF and the combined one
def _runs(data: str) -> tuple[int, str]:
    """(modules a side, the PDF path of the dark runs in module units) of `data`'s code (error correction M)."""
    made = qr_modules(data)
    if made is None:
        matrix = segno.make(data, error="m", mask=_MASK_0, micro=False).matrix
        made = len(matrix), ["".join("1" if dark else "0" for dark in row) for row in matrix]
    count, rows = made
    parts = []
    for row, line in enumerate(rows):
        y, col = f" {count - row - 1} ", 0
        for dark in line.split("0"):  # the runs of dark modules, between light ones
            if dark:
                parts.append(f"{col}{y}{len(dark)} 1 re")
                col += len(dark)
            col += 1
    return count, "\n".join(parts)


def draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """Draw `data` as a QR code (error correction M) with its lower-left corner at (x, y)."""
    count, path = _runs(data)
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(size / count, size / count)
    canvas.setFillColorRGB(0, 0, 0)
    # whole numbers written once: the same operators reportlab's path.rect() and drawPath(fill=1) write, as text
    canvas.addLiteral(f"{path}\nf")
    canvas.restoreState()
