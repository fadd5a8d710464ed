"""Fuzzing the value normalisation and the sheet reader: only clean values or clear errors come out."""

import datetime
import string

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench import Workbook
from workbench.domain import values as normalize
from workbench.errors import SheetError

cells = st.one_of(
    st.none(), st.text(max_size=40), st.integers(-10**9, 10**9), st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), st.dates(min_value=datetime.date(1900, 3, 1)), st.datetimes(min_value=datetime.datetime(1900, 3, 1)),
    st.sampled_from(["4,0", " 4 ", "8 Maret 2022", "31 Februari 2022", "08/03/2022", "lapangan", "#N/A", "=1+1",
                     "\xa0U1\t", "1e3", "١", "Ⅳ"]))


@given(cells)
def test_normalisers_return_clean_values_or_raise_value_error(value):
    for fn, kind in ((normalize.score, int), (normalize.observed_date, str), (normalize.method, str),
                     (normalize.text, str), (normalize.code, str), (normalize.note, str)):
        try:
            result = fn(value)
        except ValueError:
            continue
        assert result is None or isinstance(result, kind)
        if fn is normalize.score and result is not None:
            assert 0 <= result <= 5
        if fn is normalize.observed_date and result is not None:
            datetime.date.fromisoformat(result)


safe_text = st.text(alphabet=string.ascii_letters + string.digits + " .,-/", max_size=12)
sheet_cells = st.one_of(st.none(), safe_text, st.integers(-100, 100), st.floats(-1e6, 1e6),
                        st.sampled_from(["U1", "u1 ", "1.a.Ak", "2.a.P", "4", "4,0", "Ani", "8 Maret 2022"]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=st.lists(st.sampled_from(["kode_unit", "Kode Indikator", "Nilai", "Penilai", "Catatan", "Tanggal",
                                        "Metode", "lain", ""]), min_size=1, max_size=7),
       body=st.lists(st.lists(sheet_cells, max_size=7), max_size=8), title_rows=st.integers(0, 3))
def test_any_small_sheet_imports_or_fails_clearly(tmp_path_factory, header, body, title_rows):
    folder = tmp_path_factory.mktemp("fuzz")
    book = openpyxl.Workbook()
    sheet = book.active
    for _ in range(title_rows):
        sheet.append(["Judul"])
    sheet.append(header)
    for row in body:
        sheet.append(row)
    book.save(folder / "acak.xlsx")
    with Workbook.create(folder / "db.sqlite", period="PEKPPP 2026") as wb:
        wb.registry.add_unit("U1", "Unit", "Instansi")
        before = list(wb.store.conn.iterdump())
        try:
            result = wb.exchange.import_observations([folder / "acak.xlsx"], evaluator="Ani")
        except SheetError as exc:
            assert "\n" not in str(exc)
            assert list(wb.store.conn.iterdump()) == before
            return
        assert result.written == (not result.problems)
        if result.problems:
            assert list(wb.store.conn.iterdump()) == before
        assert wb.maintenance.check() == []
