"""Instruments as data: the PEKPPP forms and the SKM questionnaire, loaded and validated.

Shipped instruments are JSON files in `workbench/domain/instruments/`; `from_dict` builds and checks one
from that form, whoever read it (a JSON file here, a spreadsheet in `workbench.exchange.instrument_sheet`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from workbench.errors import InstrumentError
from workbench.i18n import N_, tr

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
    """A question of a survey: an SKM unsur, or an item of the F-03 user-perception form."""

    key: str
    name: str
    name_en: str
    question: str
    options: tuple[str, ...]  # the answer labels from the scale's lowest to its highest; () when unlabelled
    aspect: str = ""  # the IPP aspect an F-03 item belongs to
    aliases: tuple[str, ...] = ()  # other codes the item goes by in copies of the form (a sheet may use them)


@dataclass(frozen=True, kw_only=True)
class SurveyInstrument(_Described):
    """The F-03 user-perception questionnaire of PEKPPP (PermenPAN-RB 29/2022): items answered 0-5, each
    belonging to an aspect of the IPP; reported as means per item and per aspect."""

    unsur: tuple[Unsur, ...]
    aspects: tuple[tuple[str, str, str], ...]  # (code, name, name_en) in form order
    kind: str = "f03"


@dataclass(frozen=True, kw_only=True)
class SkmInstrument(_Described):
    """The SKM questionnaire (PermenPAN-RB 14/2017): unsur answered 1-4, IKM converted to 25-100."""

    unsur: tuple[Unsur, ...]
    weight_mode: str
    conversion: float
    kind: str = "skm"


Questionnaire = SkmInstrument | SurveyInstrument
AnyInstrument = Instrument | SkmInstrument | SurveyInstrument


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


def _invalid(instrument_id: str, problem: str, **params: object) -> InstrumentError:
    return InstrumentError("Instrumen {id} tidak sah: {problem}", id=instrument_id, problem=tr(problem, **params))


def from_dict(data: dict[str, Any]) -> AnyInstrument:
    """Build and validate an instrument from its JSON form; raises InstrumentError naming the problem."""
    ident = str(data.get("id") or "?")
    for required in ("id", "name", "version", *(() if data.get("kind") == "f03" else ("bands",))):
        if not data.get(required):
            raise _invalid(ident, N_("kolom '{field}' wajib diisi"), field=required)
    bands = tuple(Band(b["code"], b["label"], b.get("label_en", b["label"]), float(b["min"]))
                  for b in data.get("bands", []))
    if [b.min for b in bands] != sorted((b.min for b in bands), reverse=True):
        raise _invalid(ident, N_("pita kategori harus menurun dan berakhir di {min}"), min=bands[-1].min)
    _check_unique(ident, "kategori", [b.code for b in bands])
    common = dict(id=ident, name=data["name"], name_en=data.get("name_en", data["name"]), version=str(data["version"]),
                  regulation=data.get("regulation", ""), scale_min=int(data["scale"]["min"]),
                  scale_max=int(data["scale"]["max"]), bands=bands, metadata=data.get("metadata", {}), definition=data)
    if data.get("kind") == "skm":
        return _skm_from_dict(data, common)
    if data.get("kind") == "f03":
        return _f03_from_dict(data, common)
    return _ipp_from_dict(data, common)


def _f03_from_dict(data: dict[str, Any], common: dict[str, Any]) -> SurveyInstrument:
    ident = common["id"]
    aspects = tuple((a["code"], a["name"], a.get("name_en", a["name"])) for a in data.get("aspects", []))
    codes = {a[0] for a in aspects}
    items = []
    for item in data.get("items", []):
        if item.get("aspect") not in codes:
            raise _invalid(ident, N_("butir {code} menyebut aspek yang tidak ada ({aspect})"), code=item.get("key"),
                           aspect=item.get("aspect"))
        items.append(Unsur(item["key"], item["name"], item.get("name_en", item["name"]), item.get("question", ""),
                           (), item["aspect"], tuple(item.get("aliases", ()))))
    if not items:
        raise _invalid(ident, N_("kolom '{field}' wajib diisi"), field="items")
    _check_unique(ident, "butir", [u.key for u in items])
    return SurveyInstrument(unsur=tuple(items), aspects=aspects, **common)


def _skm_from_dict(data: dict[str, Any], common: dict[str, Any]) -> SkmInstrument:
    ident = common["id"]
    points = common["scale_max"] - common["scale_min"] + 1
    unsur = []
    for item in data.get("unsur", []):
        if len(item.get("options", [])) != points:
            raise _invalid(ident, N_("indikator {code} tidak punya teks untuk level {level}"), code=item.get("key"),
                           level=len(item.get("options", [])) + 1)
        unsur.append(Unsur(item["key"], item["name"], item.get("name_en", item["name"]), item.get("question", ""),
                           tuple(item["options"])))
    if not unsur:
        raise _invalid(ident, N_("kolom '{field}' wajib diisi"), field="unsur")
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
            raise _invalid(ident, N_("bobot '{value}' bukan angka, persen atau pecahan"),
                           value=a.get("weight")) from exc
        indicators = []
        for i in a.get("indicators", []):
            levels = tuple(i.get("levels") or default_levels or ())
            for level in range(points):
                if level >= len(levels) or not str(levels[level]).strip():
                    raise _invalid(ident, N_("indikator {code} tidak punya teks untuk level {level}"),
                                   code=i.get("code"), level=common["scale_min"] + level)
            try:
                weight = parse_weight(i["weight"])
            except (ValueError, ZeroDivisionError) as exc:
                raise _invalid(ident, N_("bobot '{value}' bukan angka, persen atau pecahan"),
                               value=i.get("weight")) from exc
            indicators.append(Indicator(i["code"], i["text"], a["code"], weight, aspect_weight * weight,
                                        levels[:points],
                                        i.get("evidence", ""), bool(i.get("scored", True))))
        total = sum(i.weight for i in indicators)
        if abs(total - 1) > tolerance:
            raise _invalid(ident, N_("bobot indikator aspek {aspect} berjumlah {total:.4f}, harus 1 (toleransi {tol})"),
                           aspect=a["code"], total=total, tol=tolerance)
        aspects.append(Aspect(a["code"], a["name"], a.get("name_en", a["name"]), aspect_weight, tuple(indicators)))
    if not aspects:
        raise _invalid(ident, N_("kolom '{field}' wajib diisi"), field="aspects")
    total = sum(a.weight for a in aspects)
    if abs(total - 1) > tolerance:
        raise _invalid(ident, N_("bobot aspek berjumlah {total:.4f}, harus 1 (toleransi {tol})"), total=total,
                       tol=tolerance)
    _check_unique(ident, "aspek", [a.code for a in aspects])
    _check_unique(ident, "indikator", [i.code for a in aspects for i in a.indicators])
    return Instrument(tolerance=tolerance, aspects=tuple(aspects), **common)


def _check_unique(ident: str, what: str, codes: list[str]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise _invalid(ident, N_("kode {what} '{code}' muncul lebih dari sekali"), what=what, code=code)
        seen.add(code)


def shipped() -> list[str]:
    """Ids of the instruments that ship with the workbench, e.g. ["pekppp-2017", "pekppp-2022-a", "skm-2017"]."""
    return sorted(p.stem for p in SHIPPED_DIR.glob("*.json"))


@cache
def load(ident: str = DEFAULT_INSTRUMENT) -> AnyInstrument:
    """A shipped instrument by id, validated. ``load("pekppp-2022-a").band(4.0).code == "B"``."""
    path = SHIPPED_DIR / f"{ident}.json"
    if not path.is_file():
        raise InstrumentError("Instrumen tidak dikenal: {id} (tersedia: {known})", id=ident,
                              known=", ".join(shipped()))
    return from_dict(json.loads(path.read_text(encoding="utf-8")))
