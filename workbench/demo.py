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
    """Add the demo period with six example units: four fully scored by two evaluators, two half done."""
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
