"""A small, clearly marked demo period so that a new database shows something on first start."""

from __future__ import annotations

import random

from workbench.workbook import Workbook

DEMO_PERIOD = "DEMO - contoh / example"
DEMO_UNITS = (
    ("DEMO-01", "Dinas Penanaman Modal dan PTSP", "Contoh: Pemerintah Kota Sukamaju"),
    ("DEMO-02", "Dinas Kependudukan dan Pencatatan Sipil", "Contoh: Pemerintah Kota Sukamaju"),
    ("DEMO-03", "Dinas Penanaman Modal dan PTSP", "Contoh: Pemerintah Kabupaten Makmur"),
    ("DEMO-04", "Dinas Kependudukan dan Pencatatan Sipil", "Contoh: Pemerintah Kabupaten Makmur"),
    ("DEMO-05", "Samsat Induk", "Contoh: Pemerintah Provinsi Sejahtera"),
    ("DEMO-06", "Kantor Wilayah Pelayanan Contoh", "Contoh: Kementerian Contoh"),
)
DEMO_EVALUATORS = ("Evaluator Contoh A", "Evaluator Contoh B")


def add_demo_period(wb: Workbook, *, seed: int = 2026) -> None:
    """Add the demo period with six example units: four fully scored by two evaluators, two half done, and
    SKM questionnaires for the first two."""
    period = wb.registry.add_period(DEMO_PERIOD, demo=True)
    inst = wb.registry.scored_instrument(period)
    rng = random.Random(seed)
    with wb.transaction():
        for code, name, institution in DEMO_UNITS:
            wb.registry.add_unit(code, name, institution)
        for n, (code, _, _) in enumerate(DEMO_UNITS):
            level = 4.6 - 0.5 * n
            indicators = inst.indicators if n < 4 else inst.indicators[: len(inst.indicators) // 2]
            for evaluator in DEMO_EVALUATORS[: 2 if n < 4 else 1]:
                for ind in indicators:
                    score = max(0, min(5, round(level + rng.uniform(-0.9, 0.9))))
                    wb.observations.save(unit=code, indicator=ind.code, evaluator=evaluator, period=DEMO_PERIOD,
                                        score=score, method="desk", notes="Data contoh / example data")
        _add_questionnaires(wb, rng)


def _add_questionnaires(wb: Workbook, rng: random.Random) -> None:
    """Thirty typed SKM questionnaires for DEMO-01 and DEMO-02, mostly 3 and 4, and their populations."""
    items = [u.key for u in wb.surveys.instrument("skm").unsur]
    for code, population, good in (("DEMO-01", 400, 0.7), ("DEMO-02", 1500, 0.45)):
        wb.surveys.set_population(code, population, period=DEMO_PERIOD)
        for number in range(1, 31):
            answers = {item: 4 if rng.random() < good else rng.choice((2, 3, 3, 3)) for item in items}
            profile = {"jenis_kelamin": rng.choice("LP"), "usia": str(rng.randint(19, 68))}
            wb.surveys.add(unit=code, answers=answers, profile=profile, number=number, period=DEMO_PERIOD)
