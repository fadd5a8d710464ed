import copy

import pytest

from tests.helpers import HEAD, LEVELS, write_xlsx
from workbench.domain.instrument import from_dict, load, parse_weight, shipped
from workbench.errors import InstrumentError, SheetError
from workbench.exchange.instrument_sheet import from_sheet, load_path


def test_shipped_instruments_load_and_validate():
    assert shipped() == ["f03a-2022", "f03b-2022", "pekppp-2017", "pekppp-2022-a", "skm-2017"]
    f03a, f03b = load("f03a-2022"), load("f03b-2022")
    assert [len(f03a.unsur), len(f03b.unsur)] == [14, 11] and f03a.scale_min == 0 and f03a.scale_max == 5
    assert [u.key for u in f03a.unsur if u.aspect == "III"] == ["8.c.As", "9.c.K", "10.c.As", "11.c.As"]
    pekppp = load("pekppp-2022-a")
    assert len(pekppp.indicators) == 31 and len(pekppp.scored_indicators) == 30
    assert [a.weight for a in pekppp.aspects] == [0.24, 0.25, 0.18, 0.11, 0.10, 0.12, 0.0]
    assert pekppp.indicator("1.a.Ak").global_weight == pytest.approx(0.0408)
    assert all(len(i.levels) == 6 and all(i.levels) for i in pekppp.indicators)
    assert sum(i.global_weight for i in pekppp.scored_indicators) == pytest.approx(1.0)
    old = load("pekppp-2017")
    assert len(old.indicators) == 37 and old.metadata["verified"] is False
    assert "UNVERIFIED" in old.metadata["aspect_weights"]
    skm = load("skm-2017")
    assert [u.key for u in skm.unsur][:3] == ["persyaratan", "prosedur", "waktu"] and len(skm.unsur) == 9
    assert skm.unsur[3].options == ("Sangat mahal", "Cukup mahal", "Murah", "Gratis")
    assert [b.code for b in skm.bands] == ["A", "B", "C", "D"]


def test_unknown_instrument_names_the_known_ones():
    with pytest.raises(InstrumentError, match="pekppp-2022-a"):
        load("pekppp-2099")


def _definition():
    return copy.deepcopy(load("pekppp-2022-a").definition)


def test_weights_must_sum_to_one_within_an_aspect():
    data = _definition()
    data["aspects"][1]["indicators"][0]["weight"] = 0.2
    with pytest.raises(InstrumentError, match=r"aspek II berjumlah 1\.1000"):
        from_dict(data)


def test_aspect_weights_must_sum_to_one():
    data = _definition()
    data["aspects"][0]["weight"] = 0.30
    with pytest.raises(InstrumentError, match=r"bobot aspek berjumlah 1\.0600"):
        from_dict(data)


def test_codes_must_be_unique_and_levels_complete():
    data = _definition()
    data["aspects"][2]["indicators"][1]["code"] = "15.c.K"
    with pytest.raises(InstrumentError, match="'15.c.K' muncul lebih dari sekali"):
        from_dict(data)
    data = _definition()
    data["aspects"][0]["indicators"][2]["levels"][4] = " "
    with pytest.raises(InstrumentError, match="3.a.T tidak punya teks untuk level 4"):
        from_dict(data)


def test_tolerance_is_stated_per_instrument():
    assert load("pekppp-2017").tolerance == 0.005  # rounded source percentages
    assert load("pekppp-2022-a").tolerance == 0.001


@pytest.mark.parametrize("value, expected", [(0.17, 0.17), (17, 0.17), ("17%", 0.17), ("=1/5", 0.2), ("1/5", 0.2),
                                             ("0,25", 0.25)])
def test_parse_weight(value, expected):
    assert parse_weight(value) == pytest.approx(expected)


def test_instrument_from_sheet(tmp_path):
    path = write_xlsx(tmp_path / "instrumen-mandiri.xlsx", [
        ["Instrumen PEKPPP Mandiri Kabupaten Contoh"], [],
        HEAD,
        ["K", "Kebijakan", "60%", "K1", "Standar pelayanan", "1/2", *LEVELS],
        ["K", "Kebijakan", "60%", "K2", "Maklumat", "1/2", *LEVELS],
        ["S", "SDM", 0.4, "S1", "Kode etik", 100, *LEVELS],
    ])
    inst = from_sheet(path)
    assert inst.id == "instrumen-mandiri"
    assert [(a.code, a.weight) for a in inst.aspects] == [("K", 0.6), ("S", 0.4)]
    assert inst.indicator("K2").global_weight == pytest.approx(0.3)
    assert inst.band(4.51).code == "A"


def test_instrument_sheet_errors_name_the_place(tmp_path):
    path = write_xlsx(tmp_path / "buruk.xlsx", [HEAD, ["K", "Kebijakan", 1, "K1", "", 1, *LEVELS]], title="Instrumen")
    with pytest.raises(SheetError, match=r"buruk.xlsx, lembar 'Instrumen', baris 2, kolom E \(Nama Indikator\)"):
        from_sheet(path)
    path = write_xlsx(tmp_path / "bobot.xlsx", [HEAD, ["K", "Kebijakan", 1, "K1", "x", 0.5, *LEVELS]])
    with pytest.raises(InstrumentError, match="aspek K berjumlah 0.5000"):
        load_path(path)
