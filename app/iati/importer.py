"""Reads an IATI activity file into projects with their results framework.

Each activity becomes a project of a programme (the one chosen, else the programme whose
identifier the activity names as its parent), matched by its iati-identifier, so a second
import of the same file finds every record as it is and changes nothing. Its results,
indicators (with baseline), reporting periods and period targets are created or brought up to
date; every write is audited and names the file and the activity it came from.

Actual values are not imported: in PVE Track a value counts only once it has been entered
for a period and a manager has approved the period, so the report lists how many were left.

All or nothing: the whole file is checked and written in one transaction, committed only when
no activity has a problem and it is not a dry run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import IO, Any

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy.orm import Session

from app import audit
from app.audit import Actor
from app.frameworks.indicator_services import total_category_id
from app.frameworks.models import (
    Frequency,
    Indicator,
    IndicatorType,
    ReportingPeriod,
    Result,
    ResultLevel,
    Target,
    frequency_of,
)
from app.iati import codes
from app.iati.identifiers import activity_identifier, programme_identifier, reporting_org
from app.iati.reader import ActivityData, FileRefused, IndicatorData, read
from app.programmes.models import ActivityStatus, Programme, Project
from indicators.periods import due_date
from indicators.types import Calculation, Direction, Measure

MAX_PROBLEMS = 50
# IndicatorMeasure: unit, nominal and ordinal are read as numbers.
MEASURE_OF_CODE = {codes.MEASURE_PERCENTAGE: Measure.PERCENTAGE,
                   codes.MEASURE_QUALITATIVE: Measure.QUALITATIVE}
TYPE_OF_LEVEL = {ResultLevel.OUTPUT: IndicatorType.OUTPUT,
                 ResultLevel.OUTCOME: IndicatorType.OUTCOME,
                 ResultLevel.GOAL: IndicatorType.IMPACT}


@dataclass
class ImportReport:
    filename: str
    dry_run: bool
    version: str = ""
    activities: int = 0
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: int = 0
    actuals_left: int = 0
    lines: list[str] = field(default_factory=list)  # one per activity, capped
    problems: list[str] = field(default_factory=list)
    refused: str | None = None

    @property
    def ok(self) -> bool:
        return self.refused is None and not self.problems

    @property
    def changes(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values())

    def summary(self) -> list[str]:
        if self.refused:
            return [self.refused]
        out = [ngettext("%(num)d activity read (IATI %(v)s).",
                        "%(num)d activities read (IATI %(v)s).", self.activities,
                        v=self.version)]
        if self.problems:
            out.append(str(_l("Refused: nothing was written.")))
            return out
        if not self.changes:
            out.append(str(_l("Everything in the file is already here: nothing to change.")))
        else:
            if self.created:
                verb = _l("Would create") if self.dry_run else _l("Created")
                out.append(f"{verb}: " + _counts(self.created))
            if self.updated:
                verb = _l("Would update") if self.dry_run else _l("Updated")
                out.append(f"{verb}: " + _counts(self.updated))
        if self.actuals_left:
            out.append(ngettext(
                "%(num)d actual value was not imported: a value counts only once it is "
                "entered for a period and the period is approved in PVE Track.",
                "%(num)d actual values were not imported: a value counts only once it is "
                "entered for a period and the period is approved in PVE Track.",
                self.actuals_left))
        if self.dry_run:
            out.append(str(_l("Dry run: nothing was written.")))
        return out


def _counts(counter: Counter[str]) -> str:
    names = {"project": lambda n: ngettext("%(num)d project", "%(num)d projects", n),
             "result": lambda n: ngettext("%(num)d result", "%(num)d results", n),
             "indicator": lambda n: ngettext("%(num)d indicator", "%(num)d indicators", n),
             "period": lambda n: ngettext("%(num)d reporting period",
                                          "%(num)d reporting periods", n),
             "target": lambda n: ngettext("%(num)d period target", "%(num)d period targets", n)}
    return ", ".join(names[key](counter[key]) for key in names if counter[key])



def _source(filename: str, identifier: str) -> dict[str, Any]:
    return {"source_document": filename[:200], "source_locator": identifier[:300]}


class Writer:
    """Brings the records of one activity up to date in the session, counting and auditing."""

    def __init__(self, session: Session, actor: Actor, report: ImportReport,
                 programme: Programme | None) -> None:
        self.session = session
        self.actor = actor
        self.report = report
        self.programme = programme
        self.org = reporting_org()
        self.total = total_category_id(session)
        self.due_days = current_app.config["REPORT_DUE_DAYS"]
        self.programmes = {programme_identifier(p, self.org): p
                           for p in session.scalars(sa.select(Programme))}

    def _save(self, obj: Any, entity: str, values: dict[str, Any], extra: dict[str, Any],
              action: str | None = None) -> bool:
        """Create ``obj`` (when new) or apply ``values``; True when something changed."""
        if obj.id is None:
            for key, value in values.items():
                setattr(obj, key, value)
            self.session.add(obj)
            self.session.flush()
            changes = audit.snapshot(obj, list(values))
            changes.update(extra)
            audit.record(self.session, self.actor, action or f"{entity}.create",
                         "project" if action == "periods.create" else entity,
                         obj.project_id if action == "periods.create" else obj.id, changes)
            self.report.created[entity] += 1
            return True
        changes = audit.apply_changes(obj, values)
        if changes:
            changes.update(extra)
            self.session.flush()
            audit.record(self.session, self.actor, action or f"{entity}.update",
                         entity, obj.id, changes)
            self.report.updated[entity] += 1
        return bool(changes)

    def _programme(self, activity: ActivityData) -> Programme | None:
        if self.programme is not None:
            return self.programme
        for ref in activity.parents:
            if ref in self.programmes:
                return self.programmes[ref]
        return None

    def _project(self, activity: ActivityData) -> Project | None:
        found = self.session.scalar(sa.select(Project).where(
            Project.iati_identifier == activity.identifier))
        if found is not None:
            return found
        code = self.code(activity)
        same_code = self.session.scalar(sa.select(Project).where(Project.code == code))
        if same_code is not None and same_code.iati_identifier is None and \
                activity_identifier(same_code, self.org) == activity.identifier:
            return same_code
        if same_code is not None:
            self.problem(activity, _l("the project code %(code)s is already used by another "
                                      "project", code=code))
        return None

    def code(self, activity: ActivityData) -> str:
        identifier = activity.identifier
        for ref in (activity.reporting_ref, self.org.ref):
            if ref and identifier.startswith(ref + "-") and len(identifier) > len(ref) + 1:
                return identifier[len(ref) + 1:][:40]
        return identifier[:40]

    def problem(self, activity: ActivityData, message: Any) -> None:
        if len(self.report.problems) < MAX_PROBLEMS:
            self.report.problems.append(str(_l("Activity %(a)s: %(m)s", a=activity.name,
                                               m=message)))

    def check(self, activity: ActivityData) -> None:
        for problem in activity.problems:
            self.problem(activity, problem)
        if len(activity.title) > 300:
            self.problem(activity, _l("the title is longer than %(n)d characters", n=300))
        if len(activity.identifier) > 150:
            self.problem(activity, _l("the iati-identifier is longer than %(n)d characters",
                                      n=150))
        for country in activity.countries:
            if len(country) != 2:
                self.problem(activity, _l("recipient-country %(c)s is not a two-letter code",
                                          c=country))
        start, end = self.dates(activity)
        if start and end and end < start:
            self.problem(activity, _l("activity-date: the end is before the start"))
        for result in activity.results:
            if result.code and len(result.code) > 20:
                self.problem(activity, _l("%(w)s: the code %(c)s is longer than %(n)d "
                                          "characters", w=result.where, c=result.code, n=20))
            for indicator in result.indicators:
                if len(indicator.title) > 300:
                    self.problem(activity, _l("%(w)s: the title is longer than %(n)d "
                                              "characters", w=indicator.where, n=300))
                if indicator.code and len(indicator.code) > 30:
                    self.problem(activity, _l("%(w)s: the code %(c)s is longer than %(n)d "
                                              "characters", w=indicator.where,
                                              c=indicator.code, n=30))

    @staticmethod
    def dates(activity: ActivityData) -> tuple[date | None, date | None]:
        dates = activity.dates
        return (dates.get(codes.ACTUAL_START) or dates.get(codes.PLANNED_START),
                dates.get(codes.ACTUAL_END) or dates.get(codes.PLANNED_END))

    def write(self, activity: ActivityData, filename: str) -> None:
        before = self.report.changes
        self.check(activity)
        programme = self._programme(activity)
        if programme is None:
            self.problem(activity, _l("no programme: choose the programme to import into"))
        project = self._project(activity)
        if self.report.problems or programme is None:
            return
        start, end = self.dates(activity)
        budget = self._budget(activity, programme)
        values: dict[str, Any] = {
            "iati_identifier": activity.identifier, "title": activity.title,
            "description": activity.description, "countries": activity.countries,
            "start_date": start, "end_date": end,
            "status": codes.status_of_code(activity.status) or ActivityStatus.IMPLEMENTATION,
        }
        if budget is not None:
            values["budget"] = budget
        new = project is None
        if project is None:
            project = Project(programme_id=programme.id, code=self.code(activity),
                              **_source(filename, activity.identifier))
            values["programme_id"] = programme.id
            values["code"] = project.code
        source = {"source": [None, f"{filename}#{activity.identifier}"]}
        self._save(project, "project", values, source)
        self._framework(project, activity, filename, source)
        changed = self.report.changes - before
        if len(self.report.lines) < 200:
            if new:
                line = _l("%(id)s: new project %(code)s", id=activity.identifier,
                          code=project.code)
            elif changed:
                line = ngettext("%(id)s: project %(code)s brought up to date (%(num)d change)",
                                "%(id)s: project %(code)s brought up to date (%(num)d changes)",
                                changed, id=activity.identifier, code=project.code)
            else:
                line = _l("%(id)s: project %(code)s unchanged", id=activity.identifier,
                          code=project.code)
            self.report.lines.append(str(line))
        if not changed:
            self.report.unchanged += 1

    def _budget(self, activity: ActivityData, programme: Programme) -> Decimal | None:
        original = [b for b in activity.budgets if b[0] == "1"] or activity.budgets
        if not original:
            return None
        if any((currency or activity.currency) != programme.currency
               for _, _, currency in original):
            return None  # another currency than the programme's: not converted
        return sum((amount for _, amount, _ in original), Decimal(0))

    def _framework(self, project: Project, activity: ActivityData, filename: str,
                   source: dict[str, Any]) -> None:
        results = {r.code: r for r in self.session.scalars(
            sa.select(Result).where(Result.project_id == project.id))}
        indicators = {i.code: i for i in self.session.scalars(
            sa.select(Indicator).where(Indicator.project_id == project.id))}
        periods = {(p.frequency, p.start_date): p for p in self.session.scalars(
            sa.select(ReportingPeriod).where(ReportingPeriod.project_id == project.id))}
        for r_position, data in enumerate(activity.results, start=1):
            code = data.code or f"R{r_position}"
            level = codes.LEVEL_OF_TYPE.get(data.type, ResultLevel.OUTCOME)
            result = results.get(code) or Result(project_id=project.id,
                                                 **_source(filename, activity.identifier))
            values = {"code": code, "level": level, "statement": data.title}
            if result.id is None:  # an order changed in PVE Track is kept
                values["position"] = r_position - 1
            self._save(result, "result", values, source)
            results[code] = result
            for i_position, item in enumerate(data.indicators, start=1):
                self._indicator(project, result, level, item,
                                item.code or f"{code}.{i_position}", i_position - 1, indicators,
                                periods, filename, activity.identifier, source)

    def _indicator(self, project: Project, result: Result, level: ResultLevel,
                   item: IndicatorData, code: str, position: int,
                   indicators: dict[str, Indicator],
                   periods: dict[tuple[Frequency, date], ReportingPeriod], filename: str,
                   identifier: str, source: dict[str, Any]) -> None:
        frequencies = Counter(frequency_of(p.start, p.end) for p in item.periods)
        targets = [p for p in item.periods if p.target is not None]
        values: dict[str, Any] = {
            "code": code, "name": item.title, "definition": item.description,
            "result_id": result.id, "position": position, "type": TYPE_OF_LEVEL[level],
            "measure": MEASURE_OF_CODE.get(item.measure, Measure.NUMBER),
            "direction": Direction.INCREASE if item.ascending else Direction.DECREASE,
            "baseline_value": item.baseline, "baseline_date": item.baseline_date,
            # IATI has no life-of-project target: the target of the last period stands for it
            "target_value": max(targets, key=lambda p: p.end).target if targets else None,
            "frequency": frequencies.most_common(1)[0][0] if frequencies else None,
        }
        indicator = indicators.get(code) or Indicator(project_id=project.id,
                                                      **_source(filename, identifier))
        if values["measure"] == Measure.QUALITATIVE and indicator.id is None:
            values["calculation"] = Calculation.LATEST  # a text has no sum
        # A life-of-project target, frequency or order set in PVE Track is kept.
        if indicator.id is not None:
            del values["position"]
        for kept in ("target_value", "frequency"):
            if getattr(indicator, kept) is not None:
                del values[kept]
        self._save(indicator, "indicator", values, source)
        indicators[code] = indicator
        existing = {(t.period_id): t for t in self.session.scalars(sa.select(Target).where(
            Target.indicator_id == indicator.id, Target.category_id == self.total))}
        for data in item.periods:
            if data.actual is not None:
                self.report.actuals_left += 1
            frequency = frequency_of(data.start, data.end)
            period = periods.get((frequency, data.start))
            if period is None:
                period = ReportingPeriod(project_id=project.id)
                self._save(period, "period", {
                    "frequency": frequency, "start_date": data.start, "end_date": data.end,
                    "due_date": due_date(data.end, self.due_days)}, source,
                    action="periods.create")
                periods[(frequency, data.start)] = period
            if data.target is None:
                continue
            target = existing.get(period.id)
            if target is None:
                target = Target(indicator_id=indicator.id, period_id=period.id,
                                category_id=self.total, value=data.target)
                self.session.add(target)
                self.session.flush()
                audit.record(self.session, self.actor, "indicator.targets", "indicator",
                             indicator.id, {"period": [None, data.start.isoformat()],
                                            "target": [None, str(data.target)], **source})
                self.report.created["target"] += 1
                existing[period.id] = target
            elif target.value != data.target:
                audit.record(self.session, self.actor, "indicator.targets", "indicator",
                             indicator.id, {"period": data.start.isoformat(),
                                            "target": [str(target.value), str(data.target)],
                                            **source})
                target.value = data.target
                self.report.updated["target"] += 1


def run_import(session: Session, actor: Actor, stream: IO[bytes], filename: str, *,
               programme: Programme | None = None, dry_run: bool = False,
               progress: Callable[[int], None] | None = None) -> ImportReport:
    """Check and write the whole file; commit only when every activity is right and it is
    not a dry run, else roll back and return the report with its problems."""
    report = ImportReport(filename=filename, dry_run=dry_run)
    try:
        writer = Writer(session, actor, report, programme)
        for item in read(stream):
            if isinstance(item, str):
                report.version = item
                continue
            report.activities += 1
            writer.write(item, filename)
            if progress is not None and report.activities % 50 == 0:
                progress(report.activities)
    except FileRefused as exc:
        report.refused = exc.message
    except Exception:
        session.rollback()
        raise
    if report.refused is None and report.activities == 0:
        report.refused = str(_l("The file holds no activity."))
    if not report.ok or dry_run or not report.changes:
        session.rollback()
        return report
    audit.record(session, actor, "iati.import", "iati_file", None, {
        "file": [None, filename], "activities": [None, report.activities],
        "created": [None, dict(report.created)], "updated": [None, dict(report.updated)]})
    session.commit()
    if progress is not None:
        progress(report.activities)
    return report
