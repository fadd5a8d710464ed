from tests.helpers import score_all


def test_conflicts_need_the_threshold_and_close_with_consensus(wb):
    score_all(wb, "U1", "Ani", lambda ind: 4)
    score_all(wb, "U1", "Budi", lambda ind: {"1.a.Ak": 1, "2.a.P": 3}.get(ind.code, 4))
    wb.observations.save(unit="U1", indicator="1.a.Ak", evaluator="Budi", notes="SP belum ditetapkan")
    conflicts = wb.conflicts.open()
    assert [(c.unit, c.indicator, c.scores, c.spread) for c in conflicts] == [
        ("U1", "1.a.Ak", {"Ani": 4, "Budi": 1}, 3)]
    assert conflicts[0].notes["Budi"] == "SP belum ditetapkan"
    wb.settings.set("conflict_threshold", "1", wb.registry.period())
    assert [c.indicator for c in wb.conflicts.open()] == ["1.a.Ak", "2.a.P"]
    wb.conflicts.resolve(unit="U1", indicator="1.a.Ak", score=2, reason="Dokumen SP diperiksa bersama")
    assert [c.indicator for c in wb.conflicts.open(unit="U1")] == ["2.a.P"]
    assert wb.results.scores()[0].conflicts == 1
    # evaluators far apart on an indicator that does not count in the index: no conflict to settle
    wb.observations.save(unit="U1", indicator="INF", evaluator="Ani", score=5)
    wb.observations.save(unit="U1", indicator="INF", evaluator="Budi", score=0)
    assert [c.indicator for c in wb.conflicts.open(unit="U1")] == ["2.a.P"] and wb.conflicts.count() == 1
    assert wb.results.scores()[0].conflicts == 1 == wb.results.page()[0].conflicts


def test_settled_conflicts_stay_listed_with_the_agreed_score_reason_who_and_when(wb):
    score_all(wb, "U1", "Ani", lambda ind: 4)
    score_all(wb, "U1", "Budi", lambda ind: {"1.a.Ak": 1, "2.a.P": 1}.get(ind.code, 4))
    wb.conflicts.resolve(unit="U1", indicator="2.a.P", score=3, reason="Bukti dilihat bersama", actor="Sari")
    assert [(c.indicator, c.agreed) for c in wb.conflicts.open()] == [("1.a.Ak", None)]
    settled = wb.conflicts.listed(which="settled")
    assert [(c.indicator, c.scores, c.agreed.score, c.agreed.reason, c.agreed.decided_by)
            for c in settled] == [("2.a.P", {"Ani": 4, "Budi": 1}, 3, "Bukti dilihat bersama", "Sari")]
    assert settled[0].agreed.decided_at.startswith("20")
    assert [(c.indicator, c.agreed is not None) for c in wb.conflicts.listed()] == [("1.a.Ak", False),
                                                                                   ("2.a.P", True)]
    assert [wb.conflicts.count(which=w) for w in ("open", "settled", "all")] == [1, 1, 2]
    assert len(wb.conflicts.listed(which="all", limit=1)) == 1


def cached(wb, period=None):
    return [(r.unit, r.rank, r.ipp, r.category, r.scored, r.conflicts, r.aspects)
            for r in wb.results.page(period, limit=10_000)]


def computed(wb, period=None):
    return [(r.unit, r.rank, r.ipp, r.category, r.scored, r.conflicts, r.aspects) for r in wb.results.scores(period)]


def test_every_write_keeps_the_results_cache_current_and_it_pages_in_sqlite(wb):
    assert wb.results.is_fresh() and cached(wb) == computed(wb)  # a new workbook: both units, unscored
    score_all(wb, "U1", "Ani", lambda ind: 4)
    score_all(wb, "U2", "Ani", lambda ind: 3)
    rows = wb.results.page()
    assert [(r.unit, r.rank, r.ipp, r.category, r.label) for r in rows] == [
        ("U1", 1, 4.0, "B", "Baik"), ("U2", 2, 3.0, "C", "Cukup")]
    assert rows[0].aspects["I"] == 0.96
    generation = wb.store.value("SELECT generation FROM results_state")
    wb.observations.save(unit="U2", indicator="1.a.Ak", evaluator="Ani", notes="catatan saja")
    assert wb.store.value("SELECT generation FROM results_state") == generation  # notes do not change scores
    for change in (lambda: wb.observations.save(unit="U2", indicator="1.a.Ak", evaluator="Ani", score=5),
                   lambda: score_all(wb, "U2", "Budi", lambda ind: 1),
                   lambda: wb.conflicts.resolve(unit="U2", indicator="1.a.Ak", score=3, reason="disepakati"),
                   lambda: wb.settings.set("unit_score_rule", "mean", wb.registry.period()),
                   lambda: wb.settings.set("conflict_threshold", 1, wb.registry.period()),
                   lambda: wb.registry.add_unit("U3", "Samsat", "Provinsi Contoh")):
        change()
        assert cached(wb) == computed(wb) and wb.results.is_fresh()
        assert wb.results.scores() == wb.results.scores(exact=True)  # the kept totals sum the observations
    assert wb.store.value("SELECT count(*) FROM dirty_results") == 0 and wb.maintenance.check() == []
    wb.settings.set("unit_score_rule", "consensus_or_mean", wb.registry.period())
    assert [r.unit for r in wb.results.page(order="ipp", descending=True)] == ["U1", "U2", "U3"]
    assert [r.unit for r in wb.results.page(order="ipp")] == ["U2", "U1", "U3"]  # unscored stay last
    assert [r.unit for r in wb.results.page(order="I", descending=True, limit=1)] == ["U1"]
    assert [r.unit for r in wb.results.page(search="kependudukan")] == ["U2"]
    assert wb.results.page(search="_") == wb.results.page(search="%") == []  # typed text, not a pattern
    assert [r.unit for r in wb.results.page(category="B")] == ["U1"]
    assert wb.results.count(search="contoh") == 3 and wb.results.count(category="B") == 1
    assert [r.unit for r in wb.results.page(offset=1, limit=1)] == ["U2"]


def test_one_units_result_is_found_among_many_whose_names_contain_its_code(wb):
    """A screen showing one unit reads that unit's row: found even when sixty better units contain its code."""
    with wb.transaction():
        for n in range(60):
            wb.registry.add_unit(f"U1-{n:02d}", f"Cabang U1 nomor {n}", "Pemerintah Kota Contoh")
            score_all(wb, f"U1-{n:02d}", "Ani", lambda ind: 5)
        score_all(wb, "U1", "Ani", lambda ind: 4)
    assert "U1" not in [r.unit for r in wb.results.page(search="U1", limit=50)]  # a search misses it
    found = wb.results.unit_result("u1")
    assert (found.unit, found.ipp, found.rank) == ("U1", 4.0, 61)
    assert wb.results.unit_result("TIDAK-ADA") is None
