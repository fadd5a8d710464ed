"""The arithmetic of PEKPPP and SKM, free of any storage: rounding, bands, ranks, IKM, sample size."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from workbench.domain.instrument import Band, SkmInstrument, band_for
from workbench.errors import WorkbenchError

SKM_WEIGHT_MODES = ("exact", "0.111", "0.11")


def round2(value: float) -> float:
    """Round half up to 2 decimals, as published scores are (4.505 -> 4.51, not banker's 4.50).

    Float noise is removed first so that 4.49 computed as 4.4899999999 stays 4.49.
    """
    return math.floor(round(value * 100, 6) + 0.5) / 100


def competition_ranks(scores: Sequence[float | None]) -> list[int | None]:
    """Rank 1 for the highest; ties share a rank and the next rank skips ("1224"); None stays unranked."""
    ordered = sorted((s for s in scores if s is not None), reverse=True)
    first: dict[float, int] = {}
    for position, score in enumerate(ordered, start=1):
        first.setdefault(score, position)
    return [None if s is None else first[s] for s in scores]


def ipp(aspect_sums: Mapping[str, float], aspect_weights: Mapping[str, float]) -> tuple[float, dict[str, float]]:
    """IPP from each aspect's Σ(indicator weight × score); returns (rounded IPP, weighted aspect scores).

    ``ipp({"I": 5.0, "II": 4.0}, {"I": 0.5, "II": 0.5}) == (4.5, {"I": 2.5, "II": 2.0})``
    """
    weighted = {code: aspect_weights[code] * total for code, total in aspect_sums.items()}
    return round2(sum(weighted.values())), {code: round2(v) for code, v in weighted.items()}


@dataclass(frozen=True)
class SkmResult:
    """IKM of one set of survey responses."""

    respondents: int
    nrr: dict[str, float]  # mean answer per unsur key, of the unsur somebody answered
    weight: float
    ikm: float | None  # on the 1-4 scale, unrounded; None while an unsur has no answer at all (see `missing`)
    nik: float | None  # converted to 25-100 and rounded to 2 decimals; None when incomplete
    band: Band | None
    missing: tuple[str, ...] = ()  # unsur no respondent answered: the index cannot be computed yet

    @property
    def complete(self) -> bool:
        """Whether every unsur has at least one answer, so that the IKM stands."""
        return not self.missing

    @property
    def lowest(self) -> list[str]:
        """The unsur with the lowest NRR (several when they tie), in the instrument's order."""
        floor = min(round(v, 9) for v in self.nrr.values())
        return [key for key, value in self.nrr.items() if round(value, 9) == floor]


def skm_weight(mode: str, count: int) -> float:
    """Weight per unsur: exactly 1/count, or the rounded 0.111 / 0.11 of published practice."""
    if mode not in SKM_WEIGHT_MODES:
        raise WorkbenchError("Pengaturan {name} tidak boleh '{value}' (pilihan: {choices})", name="skm_weight_mode",
                             value=mode, choices=", ".join(SKM_WEIGHT_MODES))
    return 1 / count if mode == "exact" else float(mode)


def skm(responses: Sequence[Mapping[str, int]], instrument: SkmInstrument, mode: str | None = None) -> SkmResult:
    """IKM = Σ_unsur (NRR × weight) and NIK = IKM × 25, banded on NIK rounded to 2 decimals.

    `responses` holds one mapping of unsur key -> answer (1-4) per respondent; a missing answer is left
    out of that unsur's mean. An unsur nobody answered leaves the index incomplete (`missing` names it; IKM,
    NIK and band are None): it never counts as 0.
    """
    if not responses:
        raise WorkbenchError("Tidak ada jawaban survei")
    weight = skm_weight(mode or instrument.weight_mode, len(instrument.unsur))
    nrr, missing = {}, []
    for unsur in instrument.unsur:
        answers = [r[unsur.key] for r in responses if r.get(unsur.key) is not None]
        if answers:
            nrr[unsur.key] = sum(answers) / len(answers)
        else:
            missing.append(unsur.key)
    if missing:
        return SkmResult(len(responses), nrr, weight, None, None, None, tuple(missing))
    ikm = sum(value * weight for value in nrr.values())
    nik = round2(ikm * instrument.conversion)
    return SkmResult(len(responses), nrr, weight, ikm, nik, band_for(nik, instrument.bands))


def krejcie_morgan(population: int) -> int:
    """Sample size for a population (Krejcie & Morgan 1970: χ² = 3.841, P = 0.5, d = 0.05), rounded.

    ``krejcie_morgan(100) == 80``; ``krejcie_morgan(1000) == 278``.
    """
    if isinstance(population, bool) or not isinstance(population, int) or population < 1:
        raise WorkbenchError("Populasi harus bilangan bulat positif, bukan {value}", value=population)
    chi2, p, d = 3.841, 0.5, 0.05
    s = chi2 * population * p * (1 - p) / (d * d * (population - 1) + chi2 * p * (1 - p))
    return math.floor(s + 0.5)
