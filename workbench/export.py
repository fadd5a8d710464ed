"""Workbooks the workbench writes: the evaluator's template and the results recap."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbench.imports import Imports
from workbench.instrument import Instrument
from workbench.results import UnitScore

# openpyxl is imported where a workbook is written: importing it costs the app's start-up ~0.1 s


def _fmt(sheet: object, columns: str, first_row: int = 2) -> None:
    for column in columns:
        for cell in sheet[column][first_row - 1:]:  # type: ignore[index]
            cell.number_format = "0.00"


@dataclass(frozen=True)
class IndicatorLine:
    aspect: str
    code: str
    text: str
    score: float | None
    level_text: str
    notes: list[tuple[str, str, str]]  # (evaluator, notes, recommendation)


@dataclass(frozen=True)
class UnitReport:
    result: UnitScore
    instrument: Instrument
    period: str
    year: int
    lines: list[IndicatorLine]
    evaluators: list[str]


class Exports(Imports):
    """Templates for evaluators and the results workbook for the team lead."""

    def write_template(self, out: str | Path, *, evaluator: str, units: list[str] | None = None,
                       period: str | None = None) -> int:
        """An xlsx template for one evaluator (all units, or the given codes), prefilled with what that
        evaluator already recorded. Returns the number of entry rows."""
        from workbench.template import write_template

        p = self.period(period)
        chosen = [self.unit(code) for code in units] if units else self.units()
        existing = {(o.unit, o.indicator): {"score": o.score, "claim": o.claim, "notes": o.notes,
                                            "recommendation": o.recommendation, "method": o.method,
                                            "observed_on": o.observed_on}
                    for o in self.observations(period=p.name, evaluator=evaluator)}
        return write_template(out, instrument=self._scored_instrument(p), period=p.name, evaluator=evaluator,
                              database=self.identity(), units=[(u.code, u.name) for u in chosen], existing=existing)

    def unit_report(self, unit: str, period: str | None = None) -> UnitReport:
        """Everything the evaluation report of one unit prints: its result, and per indicator the score used,
        the rubric text of that level, and every evaluator's notes and recommendations."""
        p = self.period(period)
        inst = self._scored_instrument(p)
        code = self.unit(unit).code
        result = next(r for r in self.scores(p.name) if r.unit == code)
        scores = self._indicator_scores(p.id, self.unit(code).id)
        notes: dict[str, list[tuple[str, str, str]]] = {}
        for obs in self.observations(period=p.name, unit=code):
            if obs.notes or obs.recommendation:
                notes.setdefault(obs.indicator, []).append((obs.evaluator, obs.notes, obs.recommendation))
        lines = []
        for ind in inst.indicators:
            score = scores.get((code, ind.code))
            level = None if score is None else min(inst.scale_max, int(score + 0.5))
            lines.append(IndicatorLine(ind.aspect, ind.code, ind.text, score,
                                       ind.levels[level] if level is not None else "", notes.get(ind.code, [])))
        evaluators = sorted({o.evaluator for o in self.observations(period=p.name, unit=code)})
        return UnitReport(result, inst, p.name, p.year or 0, lines, evaluators)

    def export_results(self, out: str | Path, period: str | None = None) -> Path:
        """The results workbook: recap per unit, a sheet per aspect with indicator scores, the open
        conflicts and the agreement between evaluators. Text is never written as a formula."""
        from openpyxl import Workbook as XlsxWorkbook

        from workbench.xlsx import header, write_rows

        p = self.period(period)
        inst = self._scored_instrument(p)
        results = self.scores(p.name)
        aspects = [a for a in inst.aspects if a.weight > 0]
        book = XlsxWorkbook()
        recap = book.active
        recap.title = "Rekap"
        header(recap, ("Peringkat", "Kode Unit", "Unit", "Instansi", *(a.code for a in aspects), "IPP", "Kategori",
                       "Predikat", "Evaluator", "Konflik", "Dinilai"),
               (10, 14, 36, 36, *(8,) * len(aspects), 8, 10, 22, 10, 9, 9))
        write_rows(recap, ([r.rank, r.unit, r.name, r.institution, *(r.aspects.get(a.code) for a in aspects), r.ipp,
                            r.category, r.label, r.evaluators, r.conflicts, f"{r.scored}/{r.total}"]
                           for r in results), start=2)
        _fmt(recap, "EFGHIJK"[: len(aspects) + 1])
        effective = self._indicator_scores(p.id)
        for aspect in aspects:
            sheet = book.create_sheet(f"Aspek {aspect.code}")
            codes = [i.code for i in aspect.indicators]
            header(sheet, ("Kode Unit", "Unit", *codes, "Nilai aspek (0-5)"), (14, 36, *(9,) * len(codes), 16))
            write_rows(sheet, ([r.unit, r.name, *(effective.get((r.unit, c)) for c in codes),
                                r.raw_aspects.get(aspect.code)] for r in results), start=2)
            for row in sheet.iter_rows(min_row=2, min_col=3):
                for cell in row:
                    cell.number_format = "0.00"
        conflicts = book.create_sheet("Konflik")
        header(conflicts, ("Kode Unit", "Indikator", "Nilai per evaluator", "Selisih", "Catatan"), (14, 14, 40, 9, 60))
        write_rows(conflicts, ([c.unit, c.indicator, "; ".join(f"{e}: {s}" for e, s in c.scores.items()), c.spread,
                                " | ".join(f"{e}: {n}" for e, n in c.notes.items() if n)]
                               for c in self.conflicts(p.name)), start=2)
        agreement = self.agreement(p.name)
        sheet = book.create_sheet("Kesepakatan")
        header(sheet, ("Cakupan", "Alpha Krippendorff (ordinal)"), (30, 28))
        write_rows(sheet, [("Keseluruhan", agreement.overall),
                           *((f"Aspek {a}", v) for a, v in agreement.aspects.items()),
                           *((f"Indikator {i}", v) for i, v in agreement.indicators.items()),
                           *((f"Evaluator {e} (selisih rata-rata)", d) for e, d in agreement.evaluators.items())],
                   start=2)
        _fmt(sheet, "B")
        out = Path(out)
        book.save(out)
        return out

    def _indicator_scores(self, period_id: int, unit_id: int | None = None) -> dict[tuple[str, str], float]:
        """(unit code, indicator code) -> the score used for the unit: consensus, else mean."""
        rule = self.setting("unit_score_rule")
        rows = self.conn.execute(
            "SELECT u.code, i.code, avg(o.score), c.score FROM observations o JOIN units u ON u.id = o.unit_id "
            "JOIN indicators i ON i.id = o.indicator_id LEFT JOIN consensus c ON c.period_id = o.period_id "
            "AND c.unit_id = o.unit_id AND c.indicator_id = o.indicator_id WHERE o.period_id = ? "
            "AND o.score IS NOT NULL AND (? IS NULL OR o.unit_id = ?) GROUP BY o.unit_id, o.indicator_id",
            (period_id, unit_id, unit_id))
        return {(u, i): round(agreed if agreed is not None and rule == "consensus_or_mean" else mean, 2)
                for u, i, mean, agreed in rows}
