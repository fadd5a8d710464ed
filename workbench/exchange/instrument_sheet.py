"""An IPP instrument read from a file: its JSON form, or a sheet with one row per indicator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from workbench.domain.instrument import DEFAULT_INSTRUMENT, AnyInstrument, Instrument, from_dict, load
from workbench.errors import InstrumentError, Location, SheetError
from workbench.exchange.sheets import Book

SHEET_FIELDS = ("kode_aspek", "nama_aspek", "bobot_aspek", "kode_indikator", "nama_indikator", "bobot_indikator")
SHEET_SYNONYMS = {
    "kode_aspek": ("kode aspek", "aspect code", "aspek kode"),
    "nama_aspek": ("nama aspek", "aspek", "aspect", "aspect name"),
    "bobot_aspek": ("bobot aspek", "aspect weight"),
    "kode_indikator": ("kode indikator", "indicator code", "kode"),
    "nama_indikator": ("nama indikator", "indikator", "indicator", "uraian"),
    "bobot_indikator": ("bobot indikator", "indicator weight", "bobot"),
    "bukti_dukung": ("bukti dukung", "evidence", "data dukung"),
    "dinilai": ("dinilai", "scored"),
    **{f"level_{n}": (f"level {n}", f"skala {n}", f"nilai {n}", str(n)) for n in range(6)},
}


def load_path(path: str | Path) -> AnyInstrument:
    """An instrument from a JSON file or from a spreadsheet with one row per indicator."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        try:
            return from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise InstrumentError("Instrumen {id} tidak sah: {problem}", id=path.name, problem=str(exc)) from exc
    return from_sheet(path)


def from_sheet(path: str | Path, *, ident: str | None = None) -> Instrument:
    """Read an IPP instrument from a sheet with one row per indicator.

    Columns: kode_aspek, nama_aspek, bobot_aspek, kode_indikator, nama_indikator, bobot_indikator,
    level_0 ... level_5, optional bukti_dukung and dinilai (ya/tidak). Bands are the standard PEKPPP nine.
    """
    path = Path(path)
    optional = ("bukti_dukung", "dinilai", *(f"level_{n}" for n in range(6)))
    table = Book(path).table(SHEET_FIELDS, optional, synonyms=SHEET_SYNONYMS)
    aspects: dict[str, dict[str, Any]] = {}
    for row_number, row in table.records():
        cells = {f: table.get(row, f) for f in (*SHEET_FIELDS, *optional)}
        for required in SHEET_FIELDS:
            if cells[required] in ("", None):
                raise SheetError("diharapkan {expected}, tetapi sel kosong", table.where(row_number, required),
                                 expected=required)
        aspect = aspects.setdefault(str(cells["kode_aspek"]), {
            "code": str(cells["kode_aspek"]), "name": str(cells["nama_aspek"]),
            "weight": cells["bobot_aspek"], "indicators": []})
        scored = str(cells["dinilai"]).strip().lower() not in ("tidak", "no", "0", "false")
        aspect["indicators"].append({
            "code": str(cells["kode_indikator"]), "text": str(cells["nama_indikator"]),
            "weight": cells["bobot_indikator"], "evidence": str(cells["bukti_dukung"] or ""), "scored": scored,
            "levels": [str(cells[f"level_{n}"] or "") for n in range(6)]})
    standard = load(DEFAULT_INSTRUMENT)
    data = {"id": ident or path.stem, "kind": "ipp", "name": path.stem, "version": "1", "regulation": "",
            "scale": {"min": 0, "max": 5}, "tolerance": 0.005, "metadata": {"source": path.name},
            "bands": standard.definition["bands"], "aspects": list(aspects.values())}
    try:
        built = from_dict(data)
    except InstrumentError as exc:
        raise InstrumentError(exc.message, Location(path.name, table.sheet), **exc.params) from exc
    assert isinstance(built, Instrument)  # kind "ipp" above
    return built
