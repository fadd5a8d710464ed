"""What the surveys service takes and hands out: questionnaires, rows read from a sheet, sample status and
F-03 means."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Respondent:
    """One filled questionnaire."""

    uuid: str
    unit: str
    form: str
    number: int | None
    profile: dict[str, str]
    answers: dict[str, int]
    source: str  # typed, or the file it came from
    entered_by: str
    entry: int = 1  # with double entry, 2 for the second keying of a printed sheet


@dataclass(frozen=True)
class Incoming:
    """A respondent read from a sheet, checked: its row, unit, number, answers and profile (and both already
    packed as stored, when the reader has them: a sheet repeats the same few thousand times)."""

    row: int
    unit_id: int
    answers: dict[str, int]
    profile: dict[str, str] = field(default_factory=dict)
    number: int | None = None
    packed_answers: str = ""
    packed_profile: str = ""


@dataclass(frozen=True)
class SampleStatus:
    """A unit's responses against the sample its population needs (Krejcie-Morgan)."""

    unit: str
    name: str
    form: str
    population: int | None
    sample: int | None  # SKM: Krejcie-Morgan from the population; F-03: the fewest respondents the period asks
    collected: int
    maximum: int | None = None  # F-03: the most respondents the period asks for

    @property
    def enough(self) -> bool:
        return self.sample is not None and self.collected >= self.sample

    @property
    def over(self) -> bool:
        """More respondents than the form asks for (F-03's maximum)."""
        return self.maximum is not None and self.collected > self.maximum


@dataclass(frozen=True)
class F03Result:
    """Means of the F-03 answers of a unit (0-5): per item, per aspect, and over all items."""

    unit: str
    name: str
    respondents: int
    items: dict[str, float]
    aspects: dict[str, float]
    mean: float | None
