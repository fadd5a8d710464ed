import hashlib
import itertools
import sqlite3

import pytest

from tests.helpers import score_all
from workbench import Workbook
from workbench.db.migrations import MIGRATIONS
from workbench.db.schema import SCHEMA_VERSION, expected_objects
from workbench.db.store import Store
from workbench.errors import Incomplete, NotFound, PeriodClosed, ReasonRequired, WorkbenchError


def test_new_database_has_schema_wal_and_foreign_keys(wb, db_path):
    raw = sqlite3.connect(db_path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert wb.store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert wb.registry.period().name == "PEKPPP 2026" and wb.registry.period().year == 2026
    assert set(wb.registry.instrument_ids()) == {"pekppp-2022-a", "skm-2017", "f03a-2022", "f03b-2022"}
    with pytest.raises(sqlite3.IntegrityError):
        wb.store.conn.execute("INSERT INTO units (uuid, code, name, institution_id) VALUES ('x', 'X', 'x', 999)")


def test_create_refuses_existing_file_and_open_refuses_foreign_files(wb, db_path, tmp_path):
    with pytest.raises(WorkbenchError, match="sudah ada"):
        Workbook.create(db_path)
    other = tmp_path / "lain.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)")
    with pytest.raises(WorkbenchError, match="bukan basis data workbench"):
        Workbook(other)
    text_file = tmp_path / "catatan.sqlite"
    text_file.write_text("bukan sqlite " * 100)
    with pytest.raises(WorkbenchError, match="bukan basis data workbench"):
        Workbook(text_file)
    with pytest.raises(WorkbenchError, match="tidak ditemukan"):
        Workbook(tmp_path / "tidak-ada.sqlite")


# The digest of each shipped migration's SQL (white space collapsed): a database made by an earlier version
# was built by exactly these statements, so a change here must come as a new migration instead.
SHIPPED = ("583e6c108ae3d226 d4959be9f336f5e5 69b55430827fc3b5 f42012f50981500b 79afe570c432ecc1 ff5cf76e930cc59b "
           "51322ac94d969621 54a48c0ccfeb7c9d 4b6f6417cb4bf001 2cc202c20107c5ca faddc942009a283d 2d652edf60778b9d "
           "26fd7ce990567d91 e9c58bd37cd95548 34ab8921993389f3 c4c4f2db029af4f2 dc3b149e60c9431e").split()


def test_shipped_migrations_never_change():
    made = [hashlib.sha256(" ".join(sql.split()).encode()).hexdigest()[:16] for sql in MIGRATIONS]
    assert made[:len(SHIPPED)] == SHIPPED


def test_the_observations_rules_rewritten_for_speed_accept_and_refuse_as_before():
    tables = []
    for version in (16, SCHEMA_VERSION):  # before and after the CHECK IN lists became comparisons
        conn = sqlite3.connect(":memory:")
        conn.execute(expected_objects(version)[("table", "observations")])
        tables.append(conn)
    verdicts: list[list[bool]] = [[], []]
    for n, (method, status) in enumerate(itertools.product(
            (None, "desk", "field", "interview", "Desk", "", "x", 1), ("draft", "final", "verified", "Final", "", 0))):
        for conn, verdict in zip(tables, verdicts, strict=True):
            try:
                conn.execute("INSERT INTO observations (uuid, period_id, unit_id, evaluator_id, indicator_id, method, "
                             "status, updated_at) VALUES (?, 1, ?, 1, 1, ?, ?, 'x')", (str(n), n, method, status))
                verdict.append(True)
            except sqlite3.IntegrityError:
                verdict.append(False)
    assert verdicts[0] == verdicts[1] and 0 < sum(verdicts[0]) < len(verdicts[0])


def test_database_from_a_newer_version_is_refused(wb, db_path):
    wb.store.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    wb.close()
    with pytest.raises(WorkbenchError, match="versi yang lebih baru"):
        Workbook(db_path)


def test_observation_fields_persist_and_score_changes_are_audited(wb, db_path):
    obs = wb.observations.save(unit="u1", indicator="1.a.Ak", evaluator="Ani", score=3, claim=5, notes="SP ada",
                              recommendation="Tetapkan SP", method="field", observed_on="2026-03-08")
    assert (obs.unit, obs.score, obs.claim, obs.status, obs.version) == ("U1", 3, 5, "draft", 1)
    wb.observations.save(unit="U1", indicator="1.a.Ak", evaluator="Ani", score=4)
    wb.close()
    with Workbook(db_path) as again:
        obs = again.observations.get(unit="U1", indicator="1.a.Ak", evaluator="Ani")
        assert (obs.score, obs.notes, obs.method, obs.observed_on, obs.version) == (4, "SP ada", "field",
                                                                                      "2026-03-08", 2)
        log = [e for e in again.audit.entries(obs.uuid) if e["field"] != "key"]
        assert [(e["field"], e["old"], e["new"]) for e in log] == [("score", None, "3"), ("score", "3", "4")]
        assert log[0]["actor"] == "tester" and log[1]["prev_hash"] == log[0]["hash"]


def test_bad_values_are_refused_and_nothing_is_written(wb):
    with pytest.raises(WorkbenchError, match="di luar skala 0-5"):
        wb.observations.save(unit="U1", indicator="1.a.Ak", evaluator="Ani", score=6)
    with pytest.raises(NotFound, match=r"maksud Anda 1\.a\.Ak"):
        wb.observations.save(unit="U1", indicator="1.a.AK", evaluator="Ani", score=3)
    with pytest.raises(NotFound, match="maksud Anda U1"):
        wb.observations.save(unit="U-1", indicator="1.a.Ak", evaluator="Ani", score=3)
    with pytest.raises(WorkbenchError, match="Metode tidak dikenal"):
        wb.observations.save(unit="U1", indicator="1.a.Ak", evaluator="Ani", method="telepon")
    assert wb.observations.find() == []


def test_finalising_needs_every_score_and_final_changes_need_a_reason(wb):
    score_all(wb, "U1", "Ani", lambda ind: 4)
    wb.observations.save(unit="U1", indicator="5.a.K", evaluator="Ani", score=None)
    with pytest.raises(Incomplete, match=r"1 indikator belum dinilai \(5\.a\.K\)"):
        wb.observations.set_status(unit="U1", evaluator="Ani", status="final")
    wb.observations.save(unit="U1", indicator="5.a.K", evaluator="Ani", score=3)
    assert wb.observations.set_status(unit="U1", evaluator="Ani", status="final") == 31
    assert wb.observations.progress(evaluator="Ani")["U1"].status == "final"
    with pytest.raises(ReasonRequired, match="memerlukan alasan"):
        wb.observations.save(unit="U1", indicator="5.a.K", evaluator="Ani", score=2)
    assert wb.observations.get(unit="U1", indicator="5.a.K", evaluator="Ani").score == 3
    wb.observations.save(unit="U1", indicator="5.a.K", evaluator="Ani", score=2, reason="Maklumat belum dipublikasi")
    last = wb.audit.entries(wb.observations.get(unit="U1", indicator="5.a.K", evaluator="Ani").uuid)[-1]
    assert (last["old"], last["new"], last["reason"]) == ("3", "2", "Maklumat belum dipublikasi")


def test_unit_progress_counts_scored_indicators(wb):
    for code in ("1.a.Ak", "2.a.P", "INF"):
        wb.observations.save(unit="U1", indicator=code, evaluator="Ani", score=2)
    progress = wb.observations.progress(evaluator="Ani")
    assert (progress["U1"].scored, progress["U1"].total) == (2, 30)
    assert (progress["U2"].scored, progress["U2"].status) == (0, "draft")


def test_unit_score_uses_consensus_or_mean_by_setting(wb):
    score_all(wb, "U1", "Ani", lambda ind: 4)
    score_all(wb, "U1", "Budi", lambda ind: 5 if ind.code == "29.f.B" else 4)
    # mean of 4 and 5 on 29.f.B (global weight 0.06): 4 + 0.5 x 0.06 = 4.03
    assert wb.results.scores()[0].ipp == 4.03 and wb.results.scores()[0].evaluators == 2
    wb.conflicts.resolve(unit="U1", indicator="29.f.B", score=5, reason="Piagam kompetisi diperiksa bersama")
    assert wb.results.scores()[0].ipp == 4.06
    wb.settings.set("unit_score_rule", "mean", wb.registry.period())
    assert wb.results.scores()[0].ipp == 4.03
    per_evaluator = {r.evaluator: r.ipp for r in wb.results.scores(by_evaluator=True)}
    assert per_evaluator == {"Ani": 4.00, "Budi": 4.06}
    with pytest.raises(WorkbenchError, match="tidak boleh 'median'"):
        wb.settings.set("unit_score_rule", "median", wb.registry.period())
    assert wb.audit.entries("PEKPPP 2026/U1/29.f.B")[0]["reason"] == "Piagam kompetisi diperiksa bersama"


def test_result_settings_belong_to_their_period_and_freeze_with_it(wb, db_path):
    this_year, next_year = wb.registry.period("PEKPPP 2026"), wb.registry.add_period("PEKPPP 2027")
    wb.settings.set("conflict_threshold", 1, this_year)
    assert wb.settings.number("conflict_threshold", this_year) == 1
    assert wb.settings.of_period(next_year) == {"unit_score_rule": "consensus_or_mean", "skm_weight_mode": "exact",
                                                "conflict_threshold": "2", "f03_weight": "0",
                                                "f03_min_respondents": "10", "f03_max_respondents": "20",
                                                "double_entry": "0"}
    [entry] = wb.audit.entries(f"{this_year.uuid}/conflict_threshold")
    assert (entry["old"], entry["new"], entry["actor"]) == ("2", "1", "tester")
    with pytest.raises(WorkbenchError, match="tidak dikenal"):  # a per-period setting needs its period
        wb.settings.set("f03_weight", 10)
    with pytest.raises(WorkbenchError, match="tidak boleh '101'"):
        wb.settings.set("f03_weight", 101, this_year)
    closed = wb.registry.close_period("PEKPPP 2026", reason="Sidang selesai")
    with pytest.raises(PeriodClosed, match="PEKPPP 2026 sudah ditutup"):
        wb.settings.set("conflict_threshold", 3, closed)
    raw = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="period closed"):
        raw.execute("UPDATE period_settings SET value = '3'")
    raw.close()
    wb.settings.set("f03_weight", 25, next_year)  # the open period still changes
    assert wb.settings.number("conflict_threshold", closed) == 1 and wb.maintenance.check() == []


def test_scores_list_unscored_units_last_without_rank(wb):
    score_all(wb, "U2", "Ani", lambda ind: 2)
    results = wb.results.scores()
    assert [(r.unit, r.rank, r.ipp, r.category) for r in results] == [("U2", 1, 2.0, "D"), ("U1", None, None, None)]


def test_partial_scoring_counts_missing_as_zero_and_is_incomplete(wb):
    wb.observations.save(unit="U1", indicator="14.b.K", evaluator="Ani", score=5)  # global weight 0.075
    result = wb.results.scores()[0]
    assert (result.ipp, result.scored, result.complete) == (0.38, 1, False)


def test_evidence_is_content_addressed(wb, tmp_path):
    obs = wb.observations.save(unit="U1", indicator="15.c.K", evaluator="Ani", score=3)
    photo = tmp_path / "parkir.jpg"
    photo.write_bytes(b"\xff\xd8 foto parkir")
    sha = wb.evidence.add(obs.uuid, photo)
    assert wb.evidence.path(sha).read_bytes() == photo.read_bytes()
    assert wb.evidence.add(obs.uuid, photo) == sha  # same file twice: one link
    assert [e["original_name"] for e in wb.evidence.of(obs.uuid)] == ["parkir.jpg"]
    wb.evidence.remove(obs.uuid, sha)
    assert wb.evidence.of(obs.uuid) == [] and wb.evidence.path(sha).exists()
    wb.settings.set("evidence_max_bytes", "5")
    with pytest.raises(WorkbenchError, match="melebihi batas 5"):
        wb.evidence.add(obs.uuid, photo)


def test_a_failed_transaction_leaves_nothing(wb):
    logged = wb.audit.entries()
    with pytest.raises(WorkbenchError):
        with wb.transaction():
            wb.observations.save(unit="U1", indicator="1.a.Ak", evaluator="Ani", score=3)
            wb.observations.save(unit="U1", indicator="1.a.Ak", evaluator="Ani", score=9)
    assert wb.observations.find() == [] and wb.audit.entries() == logged


def test_check_finds_a_tampered_audit_log_and_a_forged_score(wb):
    score_all(wb, "U1", "Ani", lambda ind: 3)
    assert wb.maintenance.check() == []
    wb.store.conn.execute("UPDATE observations SET score = 5 WHERE id = 1")
    assert any("tidak sesuai log audit" in p for p in wb.maintenance.check())
    wb.store.conn.execute("UPDATE observations SET score = 3 WHERE id = 1")
    wb.store.conn.execute("UPDATE audit_log SET new = '5' WHERE id = 2")
    assert any("audit_log 2: entri diubah" in p for p in wb.maintenance.check())


def test_backup_is_a_complete_database_and_never_overwrites(wb, tmp_path):
    score_all(wb, "U1", "Ani", lambda ind: 4)
    out = wb.maintenance.backup(tmp_path / "cadangan.sqlite")
    with Workbook(out) as copy:
        assert copy.results.scores()[0].ipp == 4.0 and copy.maintenance.check() == []
    with pytest.raises(WorkbenchError, match="tidak menimpa"):
        wb.maintenance.backup(out)


def test_demo_period(wb):
    from workbench.demo import DEMO_PERIOD, add_demo_period

    add_demo_period(wb)
    results = wb.results.scores(DEMO_PERIOD)
    assert len([r for r in results if r.complete]) == 4 and wb.registry.period().demo
    assert results[0].ipp > results[3].ipp


def test_evidence_names_cannot_escape_the_store(wb, tmp_path):
    obs = wb.observations.save(unit="U1", indicator="15.c.K", evaluator="Ani", score=3)
    odd = tmp_path / "..%2F..%2Fetc%2Fpasswd"
    odd.write_bytes(b"bukti")
    sha = wb.evidence.add(obs.uuid, odd)
    stored = wb.evidence.path(sha)
    assert stored.resolve().is_relative_to(wb.evidence.folder.resolve()) and stored.name == sha
    assert stored.read_bytes() == b"bukti"


def test_check_finds_missing_or_altered_evidence(wb, tmp_path):
    obs = wb.observations.save(unit="U1", indicator="15.c.K", evaluator="Ani", score=3)
    photo = tmp_path / "foto.jpg"
    photo.write_bytes(b"foto asli")
    sha = wb.evidence.add(obs.uuid, photo)
    assert wb.maintenance.check() == []
    wb.evidence.path(sha).write_bytes(b"foto palsu")
    assert any("isi berubah" in p for p in wb.maintenance.check())
    wb.evidence.path(sha).unlink()
    assert any("berkas hilang" in p for p in wb.maintenance.check())


def test_a_period_renamed_keeps_its_agreed_scores_accounted_for(wb):
    score_all(wb, "U1", "Ani", lambda ind: 4)
    score_all(wb, "U1", "Budi", lambda ind: 1 if ind.code == "1.a.Ak" else 4)
    wb.conflicts.resolve(unit="U1", indicator="1.a.Ak", score=3, reason="rapat")
    renamed = wb.registry.rename_period("PEKPPP 2026", "PEKPPP 2026 (tahap 1)")
    assert renamed.name == "PEKPPP 2026 (tahap 1)" and wb.registry.period().uuid == renamed.uuid
    assert wb.conflicts.agreed("PEKPPP 2026 (tahap 1)", unit="U1")["1.a.Ak"]["score"] == 3
    assert wb.maintenance.check() == []
    assert wb.audit.entries(renamed.uuid)[-1]["old"] == "PEKPPP 2026"
    wb.registry.add_period("PEKPPP 2027")
    with pytest.raises(WorkbenchError, match="sudah ada"):
        wb.registry.rename_period("PEKPPP 2027", "PEKPPP 2026 (tahap 1)")


def test_the_owner_of_a_database_is_stored_in_it_and_audited(wb):
    wb.settings.set("owner", "  Sari\x07 Wulandari ")
    wb.settings.set("owner_role", "lead")
    assert (wb.settings.get("owner"), wb.settings.get("owner_role")) == ("Sari Wulandari", "lead")
    with pytest.raises(WorkbenchError, match="owner_role"):
        wb.settings.set("owner_role", "menteri")
    assert wb.maintenance.check() == []


def test_commit_phases_run_in_their_order_once_each_whoever_registers_first(tmp_path):
    """Results are recomputed before the audit anchor is signed over them, whichever service was made first; a
    second service registering the same phase replaces the first instead of running twice."""
    path = tmp_path / "fase.sqlite"
    Workbook.create(path).close()
    store = Store(path)
    calls: list[str] = []
    store.on_commit("remember audit end", lambda: calls.append("remember"))
    store.on_commit("sign audit", lambda: calls.append("sign"))
    store.on_commit("settle results", lambda: calls.append("settle"))
    store.on_commit("settle results", lambda: calls.append("settle by a second Results"))
    with store.transaction():
        store.conn.execute("CREATE TEMP TABLE scratch (x)")
    assert calls == ["settle by a second Results", "sign", "remember"]
    with pytest.raises(ValueError, match="unknown commit phase"):
        store.on_commit("afterwards", lambda: None)
    store.close()


def test_every_field_of_a_final_observation_changed_is_logged_with_its_reason(wb):
    score_all(wb, "U1", "Ani", lambda ind: 4)
    wb.observations.finalize(evaluator="Ani")
    wb.observations.save(unit="U1", indicator="1.a.Ak", evaluator="Ani", notes="SP ditetapkan 2026",
                         observed_on="2026-03-02", reason="Dokumen baru diterima")
    obs = wb.observations.get(unit="U1", indicator="1.a.Ak", evaluator="Ani")
    logged = {e["field"]: (e["new"], e["reason"]) for e in wb.audit.entries() if e["entity_uuid"] == obs.uuid}
    assert logged["notes"] == ("SP ditetapkan 2026", "Dokumen baru diterima")
    assert logged["observed_on"] == ("2026-03-02", "Dokumen baru diterima")
    assert wb.maintenance.check() == []
