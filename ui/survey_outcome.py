"""Below the Survei grid: the unit's IKM (SKM) or F-03 means, in words and as bars."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from ui.aspect_chart import AspectChart
from workbench.i18n import decimal, pick, tr
from workbench.surveys import SampleStatus, Surveys

FORM_NAMES = {"skm": "SKM (PermenPAN-RB 14/2017)", "f03a": "F-03 A (luring)", "f03b": "F-03 B (daring)"}


class SurveyOutcome(QWidget):
    """The words on the left, the bars per element (SKM) or aspect (F-03) on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.chart = AspectChart(maximum=4)
        self.chart.empty_text = tr("Belum ada kuesioner untuk unit ini")
        self.sample = QLabel()  # the sample beside the population, in the page's top bar
        self.sample.setMinimumWidth(self.sample.fontMetrics().horizontalAdvance("sampel 9999 · terkumpul 99999 ✓"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.chart, 2)

    def present(self, surveys: Surveys, period: str, unit: str | None, form: str) -> SampleStatus | None:
        """What the unit's questionnaires of the form give, read for that unit alone; its sample status returned."""
        status = next(iter(surveys.status(period, form=form, unit=unit)), None) if unit else None
        note = ""
        if status is not None:
            mark = " !" if status.over else " ✓" if status.enough else ""
            self.sample.setText(tr("sampel {sample} · terkumpul {collected}", sample=status.sample or "–",
                                   collected=status.collected) + mark)
            if status.over:
                note = "\n" + tr("Lebih dari {most} responden F-03: pedoman meminta 10 sampai 20 per unit.",
                                 most=status.maximum)
            if status.sample and not status.enough:
                note = "\n" + tr("Sampel belum tercapai ({collected} dari {sample}): hasil belum mewakili "
                                 "pengguna layanan.", collected=status.collected, sample=status.sample)
        waiting = surveys.waiting(period, form=form, unit=unit).get(unit, 0) if unit else 0
        if waiting:
            note += "\n" + tr("{count} lembar belum dihitung: menunggu entri kedua atau keputusan (Bandingkan entri)",
                               count=waiting)
        self._describe(surveys, period, unit, form, note)
        return status

    def _describe(self, surveys: Surveys, period: str, unit: str | None, form: str, note: str) -> None:
        inst = surveys.instrument(form)
        names = {u.key: pick(u.name, u.name_en) for u in inst.unsur}
        if form == "skm":
            result = surveys.results(period, unit=unit).get(unit) if unit else None
            if result is None:
                self.summary.setText(note.strip() or tr("Belum ada kuesioner SKM untuk unit ini."))
                self.chart.set_bars([])
                return
            lowest = result.lowest
            if result.band is None:
                self.summary.setText(tr("IKM belum dapat dihitung: unsur {missing} belum dijawab responden mana pun "
                                        "· {count} responden", missing=", ".join(names[k] for k in result.missing),
                                        count=result.respondents) + note)
                self.chart.maximum = 4
                self.chart.set_bars([(names[k], v) for k, v in result.nrr.items()])
                return
            self.summary.setText(tr("IKM {nik} · mutu {mutu} ({kinerja}) · {count} responden\nIKM skala 1-4: "
                                    "{ikm}\nUnsur terendah: {lowest} ({value})", nik=decimal(result.nik),
                                    mutu=result.band.code, kinerja=result.band.label, count=result.respondents,
                                    ikm=decimal(result.ikm, 3), lowest=", ".join(names[k] for k in lowest),
                                    value=decimal(result.nrr[lowest[0]])) + note)
            self.chart.maximum = 4
            self.chart.set_bars([(names[k], v) for k, v in result.nrr.items()])
            return
        found = next(iter(surveys.f03_results(period, form=form, unit=unit)), None) if unit else None
        if found is None:
            empty = tr("Belum ada kuesioner {form} untuk unit ini.", form=FORM_NAMES[form])
            self.summary.setText(note.strip() or empty)
            self.chart.set_bars([])
            return
        self.summary.setText(tr("Rata-rata {form}: {mean} (skala 0-5) · {count} responden", form=FORM_NAMES[form],
                                mean=decimal(found.mean), count=found.respondents) + note)
        aspect_names = {code: pick(name, name_en) for code, name, name_en in getattr(inst, "aspects", ())}
        self.chart.maximum = 5
        self.chart.set_bars([(f"{code} {aspect_names.get(code, '')}", value) for code, value in found.aspects.items()])
