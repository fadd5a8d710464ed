"""Instruments as data: the PEKPPP forms and the SKM questionnaire, loaded and validated.

Shipped instruments are JSON files in `workbench/instruments/`; an IPP instrument can also be read
from a spreadsheet with one row per indicator (see `from_sheet`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from workbench.errors import InstrumentError, Location, SheetError
from workbench.sheets import find_table

SHIPPED_DIR = Path(__file__).parent / "instruments"
DEFAULT_INSTRUMENT = "pekppp-2022-a"


@dataclass(frozen=True)
class Band:
    """A category band: scores (rounded to 2 decimals) at or above `min` fall in it."""

    code: str
    label: str
    label_en: str
    min: float


@dataclass(frozen=True)
class Indicator:
    code: str
    text: str
    aspect: str
    weight: float  # within its aspect
    global_weight: float  # aspect weight x indicator weight: its share of the IPP
    levels: tuple[str, ...]
    evidence: str = ""
    scored: bool = True


@dataclass(frozen=True)
class Aspect:
    code: str
    name: str
    name_en: str
    weight: float
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True, kw_only=True)
class _Described:
    """What every instrument carries: identity, scale, category bands and its source definition."""

    id: str
    name: str
    name_en: str
    version: str
    regulation: str
    scale_min: int
    scale_max: int
    bands: tuple[Band, ...]
    metadata: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    definition: dict[str, Any] = field(default_factory=dict, hash=False, compare=False, repr=False)


@dataclass(frozen=True, kw_only=True)
class Instrument(_Described):
    """An IPP instrument (PEKPPP F-02): aspects of weighted indicators scored on a rubric."""

    tolerance: float
    aspects: tuple[Aspect, ...]
    kind: str = "ipp"

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """All indicators in form order, unscored ones included."""
        return tuple(i for a in self.aspects for i in a.indicators)

    @property
    def scored_indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.scored)

    def indicator(self, code: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.code == code:
                return indicator
        raise KeyError(code)

    def band(self, score: float) -> Band:
        """The band of an IPP already rounded to 2 decimals, e.g. 4.51 -> A, 4.50 -> A-."""
        return band_for(score, self.bands)


@dataclass(frozen=True)
class Unsur:
    key: str
    name: str
    name_en: str
    question: str
    options: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class SkmInstrument(_Described):
    """The SKM questionnaire (PermenPAN-RB 14/2017): unsur answered 1-4, IKM converted to 25-100."""

    unsur: tuple[Unsur, ...]
    weight_mode: str
    conversion: float
    kind: str = "skm"


def band_for(score: float, bands: tuple[Band, ...]) -> Band:
    """First band (bands descend) whose lower bound the score reaches."""
    for band in bands:
        if score >= band.min - 1e-9:
            return band
    return bands[-1]


def parse_weight(value: object) -> float:
    """0.17, 17 (percent), "17%", "1/5" and "=1/5" are all accepted."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        return float(value) / 100 if value > 1 else float(value)
    text = str(value).strip().lstrip("=").replace(",", ".")
    if text.endswith("%"):
        return float(text[:-1]) / 100
    number = float(Fraction(text))
    return number / 100 if number > 1 else number


def _invalid(instrument_id: str, key: str, **params: object) -> InstrumentError:
    from workbench.messages import text

    return InstrumentError("instrument_invalid", id=instrument_id, problem=text(key, **params))


def from_dict(data: dict[str, Any]) -> Instrument | SkmInstrument:
    """Build and validate an instrument from its JSON form; raises InstrumentError naming the problem."""
    ident = str(data.get("id") or "?")
    for required in ("id", "name", "version", "bands"):
        if not data.get(required):
            raise _invalid(ident, "field_missing", field=required)
    bands = tuple(Band(b["code"], b["label"], b.get("label_en", b["label"]), float(b["min"])) for b in data["bands"])
    if [b.min for b in bands] != sorted((b.min for b in bands), reverse=True):
        raise _invalid(ident, "bad_bands", min=bands[-1].min)
    _check_unique(ident, "kategori/band", [b.code for b in bands])
    common = dict(id=ident, name=data["name"], name_en=data.get("name_en", data["name"]), version=str(data["version"]),
                  regulation=data.get("regulation", ""), scale_min=int(data["scale"]["min"]),
                  scale_max=int(data["scale"]["max"]), bands=bands, metadata=data.get("metadata", {}), definition=data)
    if data.get("kind") == "skm":
        return _skm_from_dict(data, common)
    return _ipp_from_dict(data, common)


def _skm_from_dict(data: dict[str, Any], common: dict[str, Any]) -> SkmInstrument:
    ident = common["id"]
    points = common["scale_max"] - common["scale_min"] + 1
    unsur = []
    for item in data.get("unsur", []):
        if len(item.get("options", [])) != points:
            raise _invalid(ident, "level_missing", code=item.get("key"), level=len(item.get("options", [])) + 1)
        unsur.append(Unsur(item["key"], item["name"], item.get("name_en", item["name"]), item.get("question", ""),
                           tuple(item["options"])))
    if not unsur:
        raise _invalid(ident, "field_missing", field="unsur")
    _check_unique(ident, "unsur", [u.key for u in unsur])
    return SkmInstrument(unsur=tuple(unsur), weight_mode=data.get("weight_mode", "exact"),
                         conversion=float(data.get("conversion", 25)), **common)


def _ipp_from_dict(data: dict[str, Any], common: dict[str, Any]) -> Instrument:
    ident = common["id"]
    tolerance = float(data.get("tolerance", 0.001))
    points = common["scale_max"] - common["scale_min"] + 1
    default_levels = data.get("default_levels")
    aspects = []
    for a in data.get("aspects", []):
        try:
            aspect_weight = parse_weight(a["weight"])
        except (ValueError, ZeroDivisionError) as exc:
            raise _invalid(ident, "bad_weight", value=a.get("weight")) from exc
        indicators = []
        for i in a.get("indicators", []):
            levels = tuple(i.get("levels") or default_levels or ())
            for level in range(points):
                if level >= len(levels) or not str(levels[level]).strip():
                    raise _invalid(ident, "level_missing", code=i.get("code"), level=common["scale_min"] + level)
            try:
                weight = parse_weight(i["weight"])
            except (ValueError, ZeroDivisionError) as exc:
                raise _invalid(ident, "bad_weight", value=i.get("weight")) from exc
            indicators.append(Indicator(i["code"], i["text"], a["code"], weight, aspect_weight * weight,
                                        levels[:points],
                                        i.get("evidence", ""), bool(i.get("scored", True))))
        total = sum(i.weight for i in indicators)
        if abs(total - 1) > tolerance:
            raise _invalid(ident, "weights_indicators", aspect=a["code"], total=total, tol=tolerance)
        aspects.append(Aspect(a["code"], a["name"], a.get("name_en", a["name"]), aspect_weight, tuple(indicators)))
    if not aspects:
        raise _invalid(ident, "field_missing", field="aspects")
    total = sum(a.weight for a in aspects)
    if abs(total - 1) > tolerance:
        raise _invalid(ident, "weights_aspects", total=total, tol=tolerance)
    _check_unique(ident, "aspek", [a.code for a in aspects])
    _check_unique(ident, "indikator", [i.code for a in aspects for i in a.indicators])
    return Instrument(tolerance=tolerance, aspects=tuple(aspects), **common)


def _check_unique(ident: str, what: str, codes: list[str]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise _invalid(ident, "duplicate_code", what=what, code=code)
        seen.add(code)


def shipped() -> list[str]:
    """Ids of the instruments that ship with the workbench, e.g. ["pekppp-2017", "pekppp-2022-a", "skm-2017"]."""
    return sorted(p.stem for p in SHIPPED_DIR.glob("*.json"))


@cache
def load(ident: str = DEFAULT_INSTRUMENT) -> Instrument | SkmInstrument:
    """A shipped instrument by id, validated. ``load("pekppp-2022-a").band(4.0).code == "B"``."""
    path = SHIPPED_DIR / f"{ident}.json"
    if not path.is_file():
        raise InstrumentError("instrument_unknown", id=ident, known=", ".join(shipped()))
    return from_dict(json.loads(path.read_text(encoding="utf-8")))


def load_path(path: str | Path) -> Instrument | SkmInstrument:
    """An instrument from a JSON file or from a spreadsheet with one row per indicator."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        try:
            return from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise InstrumentError("instrument_invalid", id=path.name, problem=str(exc)) from exc
    return from_sheet(path)


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


def from_sheet(path: str | Path, *, ident: str | None = None) -> Instrument:
    """Read an IPP instrument from a sheet with one row per indicator.

    Columns: kode_aspek, nama_aspek, bobot_aspek, kode_indikator, nama_indikator, bobot_indikator,
    level_0 ... level_5, optional bukti_dukung and dinilai (ya/tidak). Bands are the standard PEKPPP nine.
    """
    path = Path(path)
    optional = ("bukti_dukung", "dinilai", *(f"level_{n}" for n in range(6)))
    table = find_table(path, SHEET_FIELDS, optional, synonyms=SHEET_SYNONYMS)
    aspects: dict[str, dict[str, Any]] = {}
    for row_number, row in table.records():
        values = {f: table.get(row, f) for f in (*SHEET_FIELDS, *optional)}
        for required in SHEET_FIELDS:
            if values[required] in ("", None):
                raise SheetError("value_required", table.where(row_number, required), expected=required)
        aspect = aspects.setdefault(str(values["kode_aspek"]), {
            "code": str(values["kode_aspek"]), "name": str(values["nama_aspek"]),
            "weight": values["bobot_aspek"], "indicators": []})
        scored = str(values["dinilai"]).strip().lower() not in ("tidak", "no", "0", "false")
        aspect["indicators"].append({
            "code": str(values["kode_indikator"]), "text": str(values["nama_indikator"]),
            "weight": values["bobot_indikator"], "evidence": str(values["bukti_dukung"] or ""), "scored": scored,
            "levels": [str(values[f"level_{n}"] or "") for n in range(6)]})
    standard = load(DEFAULT_INSTRUMENT)
    data = {"id": ident or path.stem, "kind": "ipp", "name": path.stem, "version": "1", "regulation": "",
            "scale": {"min": 0, "max": 5}, "tolerance": 0.005, "metadata": {"source": path.name},
            "bands": standard.definition["bands"], "aspects": list(aspects.values())}
    try:
        return from_dict(data)  # type: ignore[return-value]
    except InstrumentError as exc:
        raise InstrumentError(exc.key, Location(path.name, table.sheet), **exc.params) from exc
