"""Agreement between evaluators: Krippendorff's alpha for ordinal data (any number of evaluators,
missing scores allowed), so that a team lead sees which aspects and indicators need a talk."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence


def krippendorff_alpha_ordinal(items: Iterable[Sequence[int]]) -> float | None:
    """Alpha over items, each the scores that several evaluators gave it; None when undefined.

    Items with fewer than two scores carry no information and are left out. Alpha is 1 for perfect
    agreement, about 0 for agreement by chance. ``krippendorff_alpha_ordinal([[1, 1], [3, 3]]) == 1.0``.
    """
    coincidences: dict[tuple[int, int], float] = defaultdict(float)
    for values in items:
        m = len(values)
        if m < 2:
            continue
        for i, a in enumerate(values):
            for j, b in enumerate(values):
                if i != j:
                    coincidences[(a, b)] += 1 / (m - 1)
    totals: dict[int, float] = defaultdict(float)
    for (a, _), weight in coincidences.items():
        totals[a] += weight
    n = sum(totals.values())
    if n <= 1:
        return None
    categories = sorted(totals)
    position = {c: i for i, c in enumerate(categories)}
    cumulative = [0.0]
    for c in categories:
        cumulative.append(cumulative[-1] + totals[c])

    def distance(a: int, b: int) -> float:
        lo, hi = sorted((position[a], position[b]))
        between = cumulative[hi + 1] - cumulative[lo]  # Σ n_g for g from a to b inclusive
        return (between - (totals[a] + totals[b]) / 2) ** 2

    observed = sum(w * distance(a, b) for (a, b), w in coincidences.items())
    expected = sum(totals[a] * totals[b] * distance(a, b) for a in categories for b in categories)
    if expected == 0:
        return None  # everyone gave the same single value: agreement is not measurable
    return 1 - (n - 1) * observed / expected
