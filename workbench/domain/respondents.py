"""A respondent's questionnaire as stored: the SKM profile fields (PermenPAN-RB 14/2017), how each is written,
and the counts per value the SKM report shows."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping

from workbench.domain.values import bounded
from workbench.errors import WorkbenchError
from workbench.i18n import N_, tr

# the SKM respondent profile, with what a person calls each field
PROFILE_LABELS = {"jenis_kelamin": N_("jenis kelamin"), "usia": N_("usia"), "pendidikan": N_("pendidikan"),
                  "pekerjaan": N_("pekerjaan"), "jenis_layanan": N_("jenis layanan")}
PROFILE = tuple(PROFILE_LABELS)
AGE_GROUPS = ((0, 24, "< 25"), (25, 34, "25-34"), (35, 44, "35-44"), (45, 54, "45-54"), (55, 200, "≥ 55"))


def packed(values: Mapping[str, object]) -> str:
    """Answers or a profile as stored: compact JSON with sorted keys (one spelling for the digest)."""
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


GENDERS = {"l": "L", "laki-laki": "L", "laki laki": "L", "lakilaki": "L", "pria": "L", "male": "L", "m": "L",
           "p": "P", "perempuan": "P", "wanita": "P", "female": "P", "f": "P"}


def profile_value(field: str, raw: object) -> str:
    """A respondent's profile field as stored: jenis kelamin as L or P, usia in whole years (10-120), the
    others as clean text ("" when blank); ValueError saying what was expected."""
    text = bounded(raw, "person")
    if not text:
        return ""
    if field == "jenis_kelamin":
        if text.casefold() not in GENDERS:
            raise ValueError(tr("'{value}' bukan jenis kelamin (L atau P)", value=text))
        return GENDERS[text.casefold()]
    if field == "usia":
        try:
            years = float(text.replace(",", "."))
        except ValueError:
            years = -1.0
        if not (years.is_integer() and 10 <= years <= 120):
            raise ValueError(tr("'{value}' bukan usia dalam tahun (10-120)", value=text))
        return str(int(years))
    return text


def checked_profile(profile: Mapping[str, object]) -> dict[str, str]:
    """A profile as stored: known fields only, each written as `profile_value` says, blanks left out."""
    unknown = set(profile) - set(PROFILE)
    if unknown:
        raise WorkbenchError("Data responden tidak dikenal: {fields} (pilihan: {choices})",
                             fields=", ".join(sorted(unknown)), choices=", ".join(PROFILE))
    checked = {}
    for key, raw in profile.items():
        try:
            checked[key] = profile_value(key, raw)
        except ValueError as exc:
            raise WorkbenchError("{field}: {reason}", field=tr(PROFILE_LABELS[key]), reason=str(exc)) from exc
    return {key: value for key, value in checked.items() if value}


def profile_counts(profiles: list[dict[str, str]]) -> dict[str, Counter[str]]:
    """How many respondents per value of each profile field, in reading order: ages in the usual groups from
    the youngest, the other fields most common first; "(tidak diisi)" (left blank) last."""
    counts: dict[str, Counter[str]] = {}
    blank = "(tidak diisi)"
    for key in ("jenis_kelamin", "usia", "pendidikan", "pekerjaan"):
        found: Counter[str] = Counter()
        for profile in profiles:
            value = profile.get(key, "").strip()
            if key == "usia" and value.isdigit():
                value = next(label for lo, hi, label in AGE_GROUPS if lo <= int(value) <= hi)
            elif key == "jenis_kelamin":
                value = {"l": "Laki-laki", "p": "Perempuan"}.get(value.lower(), value.title())
            found[value or blank] += 1
        order = [label for _, _, label in AGE_GROUPS] if key == "usia" else [v for v, _ in found.most_common()]
        counts[key] = Counter({v: found[v] for v in [*(v for v in order if v != blank), blank] if found[v]})
    return counts
