from tests.conftest import score_all


def test_conflicts_need_the_threshold_and_close_with_consensus(wb):
    score_all(wb, "U1", "Ani", lambda ind: 4)
    score_all(wb, "U1", "Budi", lambda ind: {"1.a.Ak": 1, "2.a.P": 3}.get(ind.code, 4))
    wb.save_observation(unit="U1", indicator="1.a.Ak", evaluator="Budi", notes="SP belum ditetapkan")
    conflicts = wb.conflicts()
    assert [(c.unit, c.indicator, c.scores, c.spread) for c in conflicts] == [
        ("U1", "1.a.Ak", {"Ani": 4, "Budi": 1}, 3)]
    assert conflicts[0].notes["Budi"] == "SP belum ditetapkan"
    wb.set_setting("conflict_threshold", "1")
    assert [c.indicator for c in wb.conflicts()] == ["1.a.Ak", "2.a.P"]
    wb.set_consensus(unit="U1", indicator="1.a.Ak", score=2, reason="Dokumen SP diperiksa bersama")
    assert [c.indicator for c in wb.conflicts(unit="U1")] == ["2.a.P"]
    assert wb.scores()[0].conflicts == 1


def test_results_cache_goes_stale_on_every_change_and_pages_in_sqlite(wb):
    score_all(wb, "U1", "Ani", lambda ind: 4)
    score_all(wb, "U2", "Ani", lambda ind: 3)
    assert not wb.results_fresh()
    assert wb.refresh_results() == 2 and wb.results_fresh()
    rows = wb.result_rows()
    assert [(r.unit, r.rank, r.ipp, r.category, r.label) for r in rows] == [
        ("U1", 1, 4.0, "B", "Baik"), ("U2", 2, 3.0, "C", "Cukup")]
    assert rows[0].aspects["I"] == 0.96
    wb.save_observation(unit="U2", indicator="1.a.Ak", evaluator="Ani", notes="catatan saja")
    assert wb.results_fresh()  # notes do not change scores
    wb.save_observation(unit="U2", indicator="1.a.Ak", evaluator="Ani", score=5)
    assert not wb.results_fresh()
    wb.refresh_results()
    wb.set_consensus(unit="U2", indicator="1.a.Ak", score=3, reason="disepakati")
    assert not wb.results_fresh()
    wb.refresh_results()
    wb.add_unit("U3", "Samsat", "Provinsi Contoh")
    assert not wb.results_fresh()
    wb.refresh_results()
    assert [r.unit for r in wb.result_rows(order="ipp", descending=True)] == ["U1", "U2", "U3"]
    assert [r.unit for r in wb.result_rows(order="ipp")] == ["U2", "U1", "U3"]  # unscored stay last
    assert [r.unit for r in wb.result_rows(order="I", descending=True, limit=1)] == ["U1"]
    assert [r.unit for r in wb.result_rows(search="kependudukan")] == ["U2"]
    assert [r.unit for r in wb.result_rows(category="B")] == ["U1"]
    assert wb.result_count(search="contoh") == 3 and wb.result_count(category="C") == 1
    assert [r.unit for r in wb.result_rows(offset=1, limit=1)] == ["U2"]
