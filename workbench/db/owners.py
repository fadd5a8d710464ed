"""Who owns each table: the one module that writes it, and reads it for everyone else. Other modules ask the
owner through a named method. Exceptions: the registry's vocabulary (units, indicators, evaluators, ...) may
be joined by anyone to turn ids into the codes people use, and the schema's migrations touch every table.

`tests/test_ownership.py` reads the SQL in every module of the core and fails when a module touches a table
it does not own (proved by a planted violation)."""

from __future__ import annotations

OWNERS: dict[str, tuple[str, ...]] = {
    "workbench.registry": ("institutions", "units", "periods", "instruments", "aspects", "indicators",
                           "evaluators"),
    "workbench.observations": ("observations", "package_conflicts"),
    "workbench.evidence": ("evidence", "observation_evidence", "secrets"),
    "workbench.conflicts": ("consensus",),
    "workbench.results": ("unit_results", "results_state", "indicator_totals"),
    "workbench.db.store": ("dirty_results",),  # units a transaction changed, noted by writers of any service
    "workbench.surveys": ("respondents", "survey_populations", "survey_sheets", "survey_decisions"),
    "workbench.team": ("assignments", "kits_issued", "packages_received", "packages_sent", "evaluator_keys",
                       "kit"),
    "workbench.certificates.service": ("certificates", "certificate_settings", "signing_keys"),
    "workbench.db.audit": ("audit_log", "anchors", "anchor_keys"),
    "workbench.db.settings": ("settings", "period_settings"),
    "workbench.exchange.service": ("column_maps",),
    "workbench.exchange.import_log": ("imports",),
}

# joined by anyone, read-only, to name things by their codes
VOCABULARY = frozenset(("institutions", "units", "periods", "instruments", "aspects", "indicators", "evaluators"))

OWNER_OF = {table: module for module, tables in OWNERS.items() for table in tables}
