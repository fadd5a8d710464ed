import pytest

from workbench.domain.agreement import krippendorff_alpha_ordinal


def test_krippendorff_reference_example_ordinal():
    # Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability", 4 coders x 12 units; ordinal alpha 0.815
    data = [[1, 1, None, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3], [2, 2, 2, 2], [1, 2, 3, 4], [4, 4, 4, 4],
            [1, 1, 2, 1], [2, 2, 2, 2], [None, 5, 5, 5], [None, None, 1, 1], [None, None, 3, None]]
    items = [[v for v in row if v is not None] for row in data]
    assert krippendorff_alpha_ordinal(items) == pytest.approx(0.815, abs=0.001)


def test_perfect_and_undefined_agreement():
    assert krippendorff_alpha_ordinal([[1, 1], [3, 3], [5, 5, 5]]) == 1.0
    assert krippendorff_alpha_ordinal([[4, 4], [4, 4]]) is None  # no variation: nothing to measure
    assert krippendorff_alpha_ordinal([[4]]) is None
    assert krippendorff_alpha_ordinal([[0, 5], [5, 0], [2, 3]]) < 0
