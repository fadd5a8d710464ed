"""The community satisfaction survey (SKM): IKM per unit from respondents' answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from workbench.db.settings import Settings
from workbench.domain.instrument import SkmInstrument
from workbench.domain.scoring import SkmResult, skm
from workbench.errors import WorkbenchError
from workbench.registry import Registry

SKM_INSTRUMENT = "skm-2017"


class Surveys:
    """IKM from SKM responses, with the workbook's weight mode."""

    def __init__(self, registry: Registry, settings: Settings) -> None:
        self._registry = registry
        self._settings = settings

    def instrument(self) -> SkmInstrument:
        """The SKM questionnaire (PermenPAN-RB 14/2017) stored in this workbook."""
        inst = self._registry.instrument(SKM_INSTRUMENT)
        if not isinstance(inst, SkmInstrument):
            raise WorkbenchError("Instrumen {id} tidak sah: {problem}", id=SKM_INSTRUMENT, problem="kind ipp")
        return inst

    def ikm(self, responses: Mapping[str | None, Sequence[Mapping[str, int]]], *, mode: str | None = None
            ) -> dict[str | None, SkmResult]:
        """IKM per unit code (None for responses without a unit): one mapping unsur -> answer per respondent."""
        inst = self.instrument()
        chosen = mode or self._settings.get("skm_weight_mode")
        return {unit: skm(answers, inst, chosen) for unit, answers in responses.items()}
