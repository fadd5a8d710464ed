"""Golden values computed by hand from the rules in docs/rules.md."""

import pytest

from tests.helpers import score_all, skm_responses
from workbench.domain.instrument import load
from workbench.domain.scoring import competition_ranks, krejcie_morgan, round2, skm
from workbench.errors import WorkbenchError


def test_all_fours_give_4_00_b(wb):
    score_all(wb, "U1", "Ani", lambda ind: 4)
    result = wb.results.scores()[0]
    assert (result.unit, result.ipp, result.category, result.label) == ("U1", 4.00, "B", "Baik")
    assert result.aspects == {"I": 0.96, "II": 1.00, "III": 0.72, "IV": 0.44, "V": 0.40, "VI": 0.48, "INF": 0.0}
    assert result.complete and result.scored == 30


def test_worked_examples_of_section_3_4(wb):
    # Kebijakan (I) and SDM (II) all 5, the rest 4: 0.49 x 5 + 0.51 x 4 = 4.49 -> A-
    score_all(wb, "U1", "Ani", lambda ind: 5 if ind.aspect in ("I", "II") else 4)
    # one more notch: SIPP (IV) all 5 too: 0.60 x 5 + 0.40 x 4 = 4.60 -> A
    score_all(wb, "U2", "Ani", lambda ind: 5 if ind.aspect in ("I", "II", "IV") else 4)
    by_unit = {r.unit: r for r in wb.results.scores()}
    assert (by_unit["U1"].ipp, by_unit["U1"].category, by_unit["U1"].label) == (4.49, "A-", "Sangat Baik")
    assert (by_unit["U2"].ipp, by_unit["U2"].category, by_unit["U2"].label) == (4.60, "A", "Pelayanan Prima")
    assert (by_unit["U2"].rank, by_unit["U1"].rank) == (1, 2)


def test_unscored_queue_item_does_not_count(wb):
    score_all(wb, "U1", "Ani", lambda ind: 0 if ind.code == "INF" else 3)
    assert wb.results.scores()[0].ipp == 3.00


@pytest.mark.parametrize("score, code", [
    (5.00, "A"), (4.51, "A"), (4.50, "A-"), (4.01, "A-"), (4.00, "B"), (3.51, "B"), (3.50, "B-"), (3.01, "B-"),
    (3.00, "C"), (2.51, "C"), (2.50, "C-"), (2.01, "C-"), (2.00, "D"), (1.51, "D"), (1.50, "E"), (1.01, "E"),
    (1.00, "F"), (0.00, "F")])
def test_band_edges(score, code):
    assert load("pekppp-2022-a").band(score).code == code


def test_round_half_up_to_two_decimals():
    assert round2(4.505) == 4.51  # banker's rounding would give 4.50 and the wrong band
    assert round2(4.4949999) == 4.49
    assert round2(0.49 * 5 + 0.51 * 4) == 4.49
    assert round2(2.675) == 2.68  # 2.675 is 2.67499999... as a float


def test_competition_ranks_share_ties():
    assert competition_ranks([4.2, 4.6, 4.2, None, 3.0]) == [2, 1, 2, None, 4]


@pytest.mark.parametrize("mode, nik, code", [("exact", 91.48, "A"), ("0.11", 90.56, "A"), ("0.111", 91.38, "A")])
def test_skm_example_in_three_weight_modes(mode, nik, code):
    result = skm(skm_responses(), load("skm-2017"), mode)
    assert result.respondents == 29
    assert result.nrr["biaya"] == pytest.approx(116 / 29)
    assert (result.nik, result.band.code) == (nik, code)


def test_skm_bands_on_converted_value():
    inst = load("skm-2017")
    all_threes = [{u.key: 3 for u in inst.unsur}] * 4
    assert skm(all_threes, inst).nik == 75.0 and skm(all_threes, inst).band.code == "C"
    assert skm([{u.key: 4 for u in inst.unsur}], inst, "exact").nik == 100.0
    assert skm([{u.key: 4 for u in inst.unsur}], inst, "0.11").nik == 99.0
    assert skm([{u.key: 1 for u in inst.unsur}], inst).band.label == "Tidak Baik"


KM_TABLE = """10 10 15 14 20 19 25 24 30 28 35 32 40 36 45 40 50 44 55 48 60 52 65 56 70 59 75 63 80 66 85 70
90 73 95 76 100 80 110 86 120 92 130 97 140 103 150 108 160 113 170 118 180 123 190 127 200 132 210 136
220 140 230 144 240 148 250 152 260 155 270 159 280 162 290 165 300 169 320 175 340 181 360 186 380 191
400 196 420 201 440 205 460 210 480 214 500 217 550 226 600 234 650 242 700 248 750 254 800 260 850 265
900 269 950 274 1000 278 1100 285 1200 291 1300 297 1400 302 1500 306 1600 310 1700 313 1800 317 1900 320
2000 322 2200 327 2400 331 2600 335 2800 338 3000 341 3500 346 4000 351 4500 354 5000 357 6000 361 7000 364
8000 367 9000 368 10000 370 15000 375 20000 377 30000 379 40000 380 50000 381 75000 382 1000000 384""".split()


KM_PAIRS = list(zip(map(int, KM_TABLE[::2]), map(int, KM_TABLE[1::2]), strict=True))


@pytest.mark.parametrize("population, sample", KM_PAIRS)
def test_krejcie_morgan_table(population, sample):
    assert krejcie_morgan(population) == sample


def test_krejcie_morgan_rejects_nonsense():
    with pytest.raises(WorkbenchError, match="Populasi"):
        krejcie_morgan(0)


def test_an_element_nobody_answered_leaves_the_index_incomplete_never_zero():
    responses = skm_responses()
    for response in responses:
        del response["biaya"]  # the cost question left blank on every form
    result = skm(responses, load("skm-2017"), "exact")
    assert result.missing == ("biaya",) and not result.complete
    assert (result.ikm, result.nik, result.band) == (None, None, None)
    assert "biaya" not in result.nrr and result.nrr["sarana"] == pytest.approx(115 / 29)
    responses[0]["biaya"] = 4  # one answer is enough for the element to count
    assert skm(responses, load("skm-2017"), "exact").complete
