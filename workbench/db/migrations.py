"""The database schema as forward-only migrations: entry N upgrades version N to N + 1 (PRAGMA user_version).
The table of which service owns each table is in workbench.db.owners."""

from __future__ import annotations

# Triggers that several migrations make the same way, written once. `{row}` in a body stands for the row a
# trigger reads: the old row of a deletion, else the new one.
STALE_PERIOD = "UPDATE results_state SET fresh = 0, generation = generation + 1 WHERE period_id = {row}.period_id"
STALE_ALL = "UPDATE results_state SET fresh = 0, generation = generation + 1"
SCORING_SETTINGS = "NEW.key IN ('unit_score_rule', 'conflict_threshold')"


def _stale(name: str, table: str, events: str, body: str, when: str = "") -> str:
    """`stale_on_{name}_{event}` triggers: after each of `events` on `table` (when `when` holds), `body`."""
    return "".join(f"CREATE TRIGGER stale_on_{name}_{event.lower()} AFTER {event} ON {table} "
                   f"{f'WHEN {when} ' if when else ''}BEGIN {body.format(row='OLD' if event == 'DELETE' else 'NEW')}; "
                   "END;\n" for event in events.split())


def _frozen(name: str, table: str, events: str) -> str:
    """`frozen_{name}_{event}` triggers: each of `events` on a row of a closed period's is refused (an update
    or deletion by the period the row had)."""
    return "".join(f"CREATE TRIGGER frozen_{name}_{event.lower()} BEFORE {event} ON {table} WHEN (SELECT closed "
                   f"FROM periods WHERE id = {'NEW' if event == 'INSERT' else 'OLD'}.period_id) BEGIN SELECT "
                   "RAISE(ABORT, 'period closed'); END;\n" for event in events.split())


def _drop(triggers: tuple[str, ...]) -> str:
    return "".join(f"DROP TRIGGER {name};\n" for name in triggers)


STALE_V5 = ("stale_on_consensus_insert", "stale_on_consensus_update", "stale_on_consensus_delete",
            "stale_on_unit_insert", "stale_on_unit_update", "stale_on_institution_update",
            "stale_on_setting_insert", "stale_on_setting_update")

# the observations table as the first version made it (migration 17 rebuilds it from this definition)
OBSERVATIONS_V1 = """
    CREATE TABLE observations (
        id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,
        period_id INTEGER NOT NULL REFERENCES periods(id),
        unit_id INTEGER NOT NULL REFERENCES units(id),
        evaluator_id INTEGER NOT NULL REFERENCES evaluators(id),
        indicator_id INTEGER NOT NULL REFERENCES indicators(id),
        score INTEGER CHECK (score BETWEEN 0 AND 5), claim INTEGER CHECK (claim BETWEEN 0 AND 5),
        notes TEXT NOT NULL DEFAULT '', recommendation TEXT NOT NULL DEFAULT '',
        method TEXT CHECK (method IN ('desk', 'field', 'interview')), observed_on TEXT,
        status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'final', 'verified')),
        version INTEGER NOT NULL DEFAULT 1, source TEXT NOT NULL DEFAULT 'manual',
        source_sha256 TEXT, source_sheet TEXT, source_row INTEGER, updated_at TEXT NOT NULL,
        UNIQUE (period_id, unit_id, evaluator_id, indicator_id));
"""
# Each entry upgrades the schema from version N to N + 1; never change the SQL of one that has shipped (a test
# holds each one's digest).
FOREIGN_KEYS_OFF = "-- foreign keys off\n"  # the first line of a migration that rebuilds a referenced table
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE instruments (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('ipp', 'skm')), name TEXT NOT NULL,
        version TEXT NOT NULL, definition TEXT NOT NULL, added_at TEXT NOT NULL);
    CREATE TABLE aspects (
        id INTEGER PRIMARY KEY, instrument_id TEXT NOT NULL REFERENCES instruments(id), code TEXT NOT NULL,
        name TEXT NOT NULL, weight REAL NOT NULL, position INTEGER NOT NULL, UNIQUE (instrument_id, code));
    CREATE TABLE indicators (
        id INTEGER PRIMARY KEY, instrument_id TEXT NOT NULL REFERENCES instruments(id),
        aspect_id INTEGER NOT NULL REFERENCES aspects(id), code TEXT NOT NULL, text TEXT NOT NULL,
        weight REAL NOT NULL, global_weight REAL NOT NULL, scored INTEGER NOT NULL, position INTEGER NOT NULL,
        UNIQUE (instrument_id, code));
    CREATE TABLE institutions (
        id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, name TEXT NOT NULL UNIQUE, kind TEXT, region TEXT);
    CREATE TABLE units (
        id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, code TEXT NOT NULL UNIQUE COLLATE NOCASE,
        name TEXT NOT NULL, institution_id INTEGER NOT NULL REFERENCES institutions(id), address TEXT);
    CREATE TABLE periods (
        id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, name TEXT NOT NULL UNIQUE, year INTEGER,
        instrument_id TEXT NOT NULL REFERENCES instruments(id), demo INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL);
    CREATE TABLE evaluators (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, name TEXT NOT NULL UNIQUE);
    """ + OBSERVATIONS_V1 + """
    CREATE INDEX observations_by_unit ON observations (period_id, unit_id, indicator_id, evaluator_id, score);
    CREATE TABLE evidence (
        sha256 TEXT PRIMARY KEY, original_name TEXT NOT NULL, size INTEGER NOT NULL, added_at TEXT NOT NULL);
    CREATE TABLE observation_evidence (
        observation_id INTEGER NOT NULL REFERENCES observations(id) ON DELETE CASCADE,
        sha256 TEXT NOT NULL REFERENCES evidence(sha256), PRIMARY KEY (observation_id, sha256));
    CREATE TABLE consensus (
        period_id INTEGER NOT NULL REFERENCES periods(id), unit_id INTEGER NOT NULL REFERENCES units(id),
        indicator_id INTEGER NOT NULL REFERENCES indicators(id), score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 5),
        decided_by TEXT NOT NULL, reason TEXT NOT NULL, decided_at TEXT NOT NULL,
        PRIMARY KEY (period_id, unit_id, indicator_id));
    CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, entity TEXT NOT NULL,
        entity_uuid TEXT NOT NULL, field TEXT NOT NULL, old TEXT, new TEXT, reason TEXT,
        prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
    CREATE INDEX audit_by_entity ON audit_log (entity_uuid, field, id);
    """,
    # 2: a cache of each period's results, so that opening a large database shows its table at once.
    # Triggers mark a period stale when consensus, units or scoring settings change; writes of observations
    # mark it in code (Store.mark_results_stale), since a row trigger doubled the cost of a bulk import.
    """
    CREATE TABLE results_state (
        period_id INTEGER PRIMARY KEY REFERENCES periods(id), fresh INTEGER NOT NULL DEFAULT 0, computed_at TEXT);
    CREATE TABLE unit_results (
        period_id INTEGER NOT NULL REFERENCES periods(id), unit_id INTEGER NOT NULL REFERENCES units(id),
        ipp REAL, category TEXT, rank INTEGER, scored INTEGER NOT NULL, total INTEGER NOT NULL,
        evaluators INTEGER NOT NULL, conflicts INTEGER NOT NULL, aspects TEXT NOT NULL,
        PRIMARY KEY (period_id, unit_id));
    CREATE INDEX unit_results_by_rank ON unit_results (period_id, rank);
    CREATE INDEX observations_by_evaluator ON observations (period_id, evaluator_id, unit_id);
    """ + _stale("consensus", "consensus", "INSERT UPDATE DELETE",
                 "UPDATE results_state SET fresh = 0 WHERE period_id = {row}.period_id AND fresh")
    + _stale("unit", "units", "INSERT UPDATE", "UPDATE results_state SET fresh = 0")
    + _stale("institution", "institutions", "UPDATE", "UPDATE results_state SET fresh = 0")
    + _stale("setting", "settings", "INSERT UPDATE", "UPDATE results_state SET fresh = 0", SCORING_SETTINGS),
    # 3: spreadsheet imports, recognised again by their sha256, and remembered column mappings
    """
    CREATE TABLE imports (
        sha256 TEXT PRIMARY KEY, file_name TEXT NOT NULL, sheet TEXT NOT NULL, layout TEXT NOT NULL,
        period_id INTEGER NOT NULL REFERENCES periods(id), rows INTEGER NOT NULL, added INTEGER NOT NULL,
        updated INTEGER NOT NULL, unchanged INTEGER NOT NULL, skipped INTEGER NOT NULL,
        imported_by TEXT NOT NULL, imported_at TEXT NOT NULL);
    CREATE TABLE column_maps (header TEXT PRIMARY KEY, field TEXT NOT NULL);
    """,
    # 4: award certificates, the office's signing keys and the certificate settings of each period
    """
    CREATE TABLE signing_keys (
        key_id TEXT PRIMARY KEY, public_pem TEXT NOT NULL, private_pem TEXT NOT NULL, created_at TEXT NOT NULL);
    CREATE TABLE certificate_settings (period_id INTEGER PRIMARY KEY REFERENCES periods(id), settings TEXT NOT NULL);
    CREATE TABLE certificates (
        id INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE, period_id INTEGER NOT NULL REFERENCES periods(id),
        unit_id INTEGER NOT NULL REFERENCES units(id), seq INTEGER NOT NULL, category TEXT NOT NULL,
        score REAL NOT NULL, issued_on TEXT NOT NULL, token TEXT NOT NULL,
        key_id TEXT NOT NULL REFERENCES signing_keys(key_id), revoked INTEGER NOT NULL DEFAULT 0,
        revoked_reason TEXT, revoked_at TEXT, UNIQUE (period_id, unit_id), UNIQUE (period_id, seq));
    """,
    # 5: every change that makes results stale also counts up a generation, so that results computed from a
    # read snapshot are stored as fresh only when nothing changed while they were computed; every workbook
    # gets its identity (a random UUID) when it is made rather than on first use
    """
    ALTER TABLE results_state ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
    INSERT OR IGNORE INTO results_state (period_id, fresh) SELECT id, 0 FROM periods;
    INSERT OR IGNORE INTO settings (key, value) SELECT 'workbook_uuid', lower(substr(h, 1, 8) || '-' ||
        substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-8' || substr(h, 18, 3) || '-' || substr(h, 21, 12))
        FROM (SELECT hex(randomblob(16)) AS h);
    CREATE TRIGGER results_state_on_period AFTER INSERT ON periods
        BEGIN INSERT OR IGNORE INTO results_state (period_id, fresh) VALUES (NEW.id, 0); END;
    """ + _drop(STALE_V5) + _stale("consensus", "consensus", "INSERT UPDATE DELETE", STALE_PERIOD)
    + _stale("unit", "units", "INSERT UPDATE", STALE_ALL) + _stale("institution", "institutions", "UPDATE", STALE_ALL)
    + _stale("setting", "settings", "INSERT UPDATE", STALE_ALL, SCORING_SETTINGS),
    # 6: closing a period after the panel freezes its scores (refused in code with a clear message; the
    # triggers stop anything else); audit entries brought by a package keep the hash they had where they
    # were made, so that importing the package again adds none of them twice
    """
    ALTER TABLE periods ADD COLUMN closed INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE audit_log ADD COLUMN origin TEXT;
    CREATE INDEX audit_by_origin ON audit_log (origin) WHERE origin IS NOT NULL;
    """ + _frozen("observation", "observations", "INSERT UPDATE DELETE")
    + _frozen("consensus", "consensus", "INSERT UPDATE"),
    # 7: every write that adds to the audit log ends with a signed anchor over the log's head, made with a key
    # kept outside the file; a key that appears on another computer is recorded, endorsed by the last key
    # when that one is at hand
    """
    CREATE TABLE anchor_keys (
        key_id TEXT PRIMARY KEY, public_pem TEXT NOT NULL, added_at TEXT NOT NULL, added_by TEXT NOT NULL,
        previous TEXT, endorsement TEXT);
    CREATE TABLE anchors (
        id INTEGER PRIMARY KEY, audit_id INTEGER NOT NULL, head TEXT NOT NULL, at TEXT NOT NULL,
        key_id TEXT NOT NULL REFERENCES anchor_keys(key_id), signature TEXT NOT NULL);
    """,
    # 8: keys that live inside the database, such as an encrypted workbook's key for its evidence files
    """
    CREATE TABLE secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL);
    """,
    # 9: the keys that signed the packages brought in, by the workbook they came from: a later package from
    # that workbook signed by another key is stopped until the lead accepts the new key
    """
    CREATE TABLE package_signers (
        workbook TEXT NOT NULL, key_id TEXT NOT NULL, public_pem TEXT NOT NULL, created_by TEXT,
        first_seen TEXT NOT NULL, PRIMARY KEY (workbook, key_id));
    """,
    # 10: the respondents' side of an evaluation: SKM and F-03 questionnaires, one row per respondent with its
    # answers (JSON, item -> value: read whole, never queried one by one, and ten times fewer rows to write);
    # a batch is one import (or one typed questionnaire) and the audit log keeps its digest. The
    # instruments table is rebuilt to admit the F-03 questionnaires (SQLite cannot change a CHECK in place).
    FOREIGN_KEYS_OFF + """
    CREATE TABLE instruments_new (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL CHECK (kind IN ('ipp', 'skm', 'f03')), name TEXT NOT NULL,
        version TEXT NOT NULL, definition TEXT NOT NULL, added_at TEXT NOT NULL);
    INSERT INTO instruments_new SELECT id, kind, name, version, definition, added_at FROM instruments;
    DROP TABLE instruments;
    ALTER TABLE instruments_new RENAME TO instruments;
    CREATE TABLE respondents (
        id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, period_id INTEGER NOT NULL REFERENCES periods(id),
        unit_id INTEGER NOT NULL REFERENCES units(id), form TEXT NOT NULL REFERENCES instruments(id),
        number INTEGER, profile TEXT NOT NULL DEFAULT '{}', answers TEXT NOT NULL, batch TEXT NOT NULL,
        source TEXT NOT NULL, source_sheet TEXT, source_row INTEGER, entered_by TEXT NOT NULL,
        entered_at TEXT NOT NULL);
    CREATE INDEX respondents_by_unit ON respondents (period_id, unit_id, form);
    CREATE TABLE survey_populations (
        period_id INTEGER NOT NULL REFERENCES periods(id), unit_id INTEGER NOT NULL REFERENCES units(id),
        form TEXT NOT NULL, population INTEGER NOT NULL, PRIMARY KEY (period_id, unit_id, form));
    """ + _frozen("respondent", "respondents", "INSERT UPDATE DELETE")
    + _stale("respondent", "respondents", "INSERT UPDATE DELETE", STALE_PERIOD)
    + _drop(("stale_on_setting_insert", "stale_on_setting_update"))
    + _stale("setting", "settings", "INSERT UPDATE", STALE_ALL,
             "NEW.key IN ('unit_score_rule', 'conflict_threshold', 'f03_weight')"),
    # 11: the settings that shape a period's results belong to the period, and freeze with it when it closes
    # (a workbook value set before this version still holds for periods that have none of their own)
    """
    CREATE TABLE period_settings (
        period_id INTEGER NOT NULL REFERENCES periods(id), key TEXT NOT NULL, value TEXT NOT NULL,
        PRIMARY KEY (period_id, key));
    """ + _frozen("period_setting", "period_settings", "INSERT UPDATE DELETE")
    + _stale("period_setting", "period_settings", "INSERT UPDATE", STALE_PERIOD),
    # 12: results kept current unit by unit. A write notes the (period, unit) pairs whose results it changes
    # in dirty_results (scores and questionnaires in code, a bulk write noting each unit once; agreed scores,
    # new units and periods and a period's settings by triggers), and the results service recomputes those
    # units before the same transaction commits. Each cached row keeps the generation it was computed at, so
    # a full recompute from an older snapshot never overwrites a newer row; ranks are counted when read.
    """
    DROP TABLE unit_results;
    CREATE TABLE unit_results (
        period_id INTEGER NOT NULL REFERENCES periods(id), unit_id INTEGER NOT NULL REFERENCES units(id),
        ipp REAL, category TEXT, scored INTEGER NOT NULL, total INTEGER NOT NULL, evaluators INTEGER NOT NULL,
        conflicts INTEGER NOT NULL, aspects TEXT NOT NULL, generation INTEGER NOT NULL,
        PRIMARY KEY (period_id, unit_id));
    CREATE INDEX unit_results_by_ipp ON unit_results (period_id, ipp);
    CREATE TABLE dirty_results (
        period_id INTEGER NOT NULL, unit_id INTEGER NOT NULL, PRIMARY KEY (period_id, unit_id)) WITHOUT ROWID;
    UPDATE results_state SET fresh = 0;  -- computed in full once, then kept current
    DROP TRIGGER results_state_on_period;
    CREATE TRIGGER results_state_on_period AFTER INSERT ON periods
        BEGIN INSERT OR IGNORE INTO results_state (period_id, fresh) VALUES (NEW.id, 1); END;
    """ + _drop(STALE_V5 + ("stale_on_respondent_insert", "stale_on_respondent_update", "stale_on_respondent_delete",
                            "stale_on_period_setting_insert", "stale_on_period_setting_update")) + """
    CREATE TRIGGER dirty_on_consensus_insert AFTER INSERT ON consensus BEGIN
        INSERT OR IGNORE INTO dirty_results VALUES (NEW.period_id, NEW.unit_id); END;
    CREATE TRIGGER dirty_on_consensus_update AFTER UPDATE ON consensus BEGIN
        INSERT OR IGNORE INTO dirty_results VALUES (OLD.period_id, OLD.unit_id), (NEW.period_id, NEW.unit_id); END;
    CREATE TRIGGER dirty_on_consensus_delete AFTER DELETE ON consensus BEGIN
        INSERT OR IGNORE INTO dirty_results VALUES (OLD.period_id, OLD.unit_id); END;
    CREATE TRIGGER dirty_on_unit_insert AFTER INSERT ON units BEGIN
        INSERT OR IGNORE INTO dirty_results SELECT id, NEW.id FROM periods; END;
    CREATE TRIGGER dirty_on_period_insert AFTER INSERT ON periods BEGIN
        INSERT OR IGNORE INTO dirty_results SELECT NEW.id, id FROM units; END;
    CREATE TRIGGER dirty_on_period_setting_insert AFTER INSERT ON period_settings BEGIN
        INSERT OR IGNORE INTO dirty_results SELECT NEW.period_id, id FROM units; END;
    CREATE TRIGGER dirty_on_period_setting_update AFTER UPDATE ON period_settings BEGIN
        INSERT OR IGNORE INTO dirty_results SELECT NEW.period_id, id FROM units; END;
    """,
    # 13: observations a file (or package) brings in new are audited as one batch: a single log entry holds
    # the digest of what they were when they came (uuid, what each is about, score, status); later changes of
    # any of them are logged one by one as before. `batch` names the entry an observation was born in.
    """
    ALTER TABLE observations ADD COLUMN batch TEXT;
    """,
    # 14: each unit's scores per indicator summed over its evaluators (total, how many, highest - lowest),
    # kept by the same write that changes them (with the unit's result): a period's results then read 31 rows
    # a unit instead of 93 observations; check compares them with the observations.
    # A row trigger on inserts cost a bulk import more than writing the rows: a closed period refuses new
    # observations and questionnaires in code, and a row slipped in from outside has no log entry, which
    # check names; changes and deletions keep their triggers.
    """
    CREATE TABLE indicator_totals (
        period_id INTEGER NOT NULL, unit_id INTEGER NOT NULL, indicator_id INTEGER NOT NULL,
        total INTEGER NOT NULL, scores INTEGER NOT NULL, spread INTEGER NOT NULL,
        PRIMARY KEY (period_id, unit_id, indicator_id)) WITHOUT ROWID;
    INSERT INTO indicator_totals
        SELECT period_id, unit_id, indicator_id, sum(score), count(*), max(score) - min(score)
        FROM observations WHERE score IS NOT NULL GROUP BY period_id, unit_id, indicator_id;
    DROP TRIGGER IF EXISTS frozen_observation_insert;
    DROP TRIGGER IF EXISTS frozen_respondent_insert;
    """,
    # 15: kits out, packages back. Each evaluator of a team is bound to one signing key (registered when the
    # lead's office issues a kit, or accepted by the lead after comparing its fingerprint); assignments say who
    # visits which unit; the lead records each kit issued and each package received (numbered per evaluator).
    # A laptop made from a kit keeps what the kit said: its evaluator, its key, the lead's key, its number.
    # Observations brought by packages remember which evaluator's observation they follow (its uuid there),
    # the version it came with and a digest of what it held: an older version changes nothing, and other
    # content under the same version waits for the lead in package_conflicts. Keys remembered per workbook
    # (package_signers) go: a package names its evaluator, and the workbook id it names is never trusted.
    """
    DROP TABLE package_signers;
    CREATE TABLE evaluator_keys (
        evaluator_id INTEGER PRIMARY KEY REFERENCES evaluators(id), key_id TEXT NOT NULL UNIQUE,
        public_pem TEXT NOT NULL, how TEXT NOT NULL, registered_at TEXT NOT NULL, registered_by TEXT NOT NULL);
    CREATE TABLE assignments (
        period_id INTEGER NOT NULL REFERENCES periods(id), unit_id INTEGER NOT NULL REFERENCES units(id),
        evaluator_id INTEGER NOT NULL REFERENCES evaluators(id), assigned_at TEXT NOT NULL,
        assigned_by TEXT NOT NULL, PRIMARY KEY (period_id, unit_id, evaluator_id));
    CREATE INDEX assignments_by_evaluator ON assignments (period_id, evaluator_id);
    CREATE TABLE kits_issued (
        evaluator_id INTEGER NOT NULL REFERENCES evaluators(id), sequence INTEGER NOT NULL,
        period_id INTEGER NOT NULL REFERENCES periods(id), key_id TEXT NOT NULL, units INTEGER NOT NULL,
        file_name TEXT NOT NULL, issued_at TEXT NOT NULL, issued_by TEXT NOT NULL,
        PRIMARY KEY (evaluator_id, sequence));
    CREATE TABLE packages_received (
        sha256 TEXT PRIMARY KEY, evaluator_id INTEGER NOT NULL REFERENCES evaluators(id),
        sequence INTEGER NOT NULL, period_id INTEGER NOT NULL REFERENCES periods(id), key_id TEXT NOT NULL,
        file_name TEXT NOT NULL, created_at TEXT NOT NULL, received_at TEXT NOT NULL);
    CREATE INDEX packages_received_by_evaluator ON packages_received (evaluator_id, sequence);
    CREATE TABLE packages_sent (
        evaluator_id INTEGER NOT NULL REFERENCES evaluators(id), sequence INTEGER NOT NULL,
        period_id INTEGER NOT NULL REFERENCES periods(id), file_name TEXT NOT NULL, observations INTEGER NOT NULL,
        created_at TEXT NOT NULL, PRIMARY KEY (evaluator_id, sequence));
    CREATE TABLE kit (
        id INTEGER PRIMARY KEY CHECK (id = 1), evaluator_id INTEGER NOT NULL REFERENCES evaluators(id),
        period_id INTEGER NOT NULL REFERENCES periods(id), key_id TEXT NOT NULL, lead_key_id TEXT NOT NULL,
        lead_public_pem TEXT NOT NULL, lead_workbook TEXT NOT NULL, sequence INTEGER NOT NULL,
        imported_at TEXT NOT NULL);
    ALTER TABLE observations ADD COLUMN origin_uuid TEXT;
    ALTER TABLE observations ADD COLUMN origin_version INTEGER;
    ALTER TABLE observations ADD COLUMN origin_digest TEXT;
    CREATE TABLE package_conflicts (
        id INTEGER PRIMARY KEY, observation_id INTEGER NOT NULL REFERENCES observations(id),
        version INTEGER NOT NULL, incoming TEXT NOT NULL, package TEXT NOT NULL, received_at TEXT NOT NULL,
        resolved_at TEXT, resolved_by TEXT, resolution TEXT);
    CREATE INDEX package_conflicts_open ON package_conflicts (observation_id) WHERE resolved_at IS NULL;
    """,
    # 16: paper questionnaires: the sheets printed for a unit, numbered, and the sheet each entry was typed from
    """
    CREATE TABLE survey_sheets (
        id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, period_id INTEGER NOT NULL REFERENCES periods(id),
        unit_id INTEGER NOT NULL REFERENCES units(id), form TEXT NOT NULL REFERENCES instruments(id),
        serial INTEGER NOT NULL CHECK (serial > 0), printed_at TEXT NOT NULL, printed_by TEXT NOT NULL,
        UNIQUE (period_id, unit_id, form, serial));
    ALTER TABLE respondents ADD COLUMN sheet_id INTEGER REFERENCES survey_sheets(id);
    ALTER TABLE respondents ADD COLUMN entry INTEGER NOT NULL DEFAULT 1 CHECK (entry = 1 OR entry = 2);
    CREATE UNIQUE INDEX respondents_by_sheet ON respondents (sheet_id, entry) WHERE sheet_id IS NOT NULL;
    CREATE TABLE survey_decisions (
        sheet_id INTEGER PRIMARY KEY REFERENCES survey_sheets(id), answers TEXT NOT NULL, profile TEXT NOT NULL,
        reason TEXT NOT NULL, decided_by TEXT NOT NULL, decided_at TEXT NOT NULL);
    """,
    # 17: the observations' rules on method and status written as comparisons: this SQLite tests a CHECK's
    # IN list far slower than the same values compared one by one (a 100,000-row import spent a third of its
    # writing there); what they accept and refuse, NULL included, is the same. SQLite cannot change a CHECK
    # in place, so the table is rebuilt with its indexes and triggers.
    FOREIGN_KEYS_OFF + """
    """ + OBSERVATIONS_V1.replace("TABLE observations (", "TABLE observations_new (")
    .replace("method IN ('desk', 'field', 'interview')",
             "method = 'desk' OR method = 'field' OR method = 'interview'")
    .replace("status IN ('draft', 'final', 'verified')",
             "status = 'draft' OR status = 'final' OR status = 'verified'")
    .replace("updated_at TEXT NOT NULL,",  # with the columns 13 and 15 added
             "updated_at TEXT NOT NULL, batch TEXT, origin_uuid TEXT, origin_version INTEGER, origin_digest TEXT,")
    + """
    INSERT INTO observations_new SELECT id, uuid, period_id, unit_id, evaluator_id, indicator_id, score, claim, notes,
        recommendation, method, observed_on, status, version, source, source_sha256, source_sheet, source_row,
        updated_at, batch, origin_uuid, origin_version, origin_digest FROM observations;
    DROP TABLE observations;
    ALTER TABLE observations_new RENAME TO observations;
    CREATE INDEX observations_by_unit ON observations (period_id, unit_id, indicator_id, evaluator_id, score);
    CREATE INDEX observations_by_evaluator ON observations (period_id, evaluator_id, unit_id);
    """ + _frozen("observation", "observations", "UPDATE DELETE"),
)
