"""The project results page: the framework as a tree, each indicator with its figures.

The figures are those of ``app.monitoring.figures`` (the one computation every page shows):
the actual to date, progress and status of each indicator as of its last reported period,
counting approved values unless the reader asks for provisional ones too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.frameworks.chain import chain_order
from app.frameworks.models import Indicator, Result
from app.monitoring import figures as indicator_figures
from app.programmes.models import Project
from indicators.figures import Basis, Figures
from indicators.progress import clamped
from indicators.types import Status, StatusBands


@dataclass
class IndicatorFigures:
    indicator: Indicator
    targets: list[tuple[date, date, Decimal]] = field(default_factory=list)
    actual: Decimal | None = None
    last_reported: date | None = None
    qualifier: str | None = None  # "more than", "about"… as the latest value says
    progress: Decimal | None = None
    basis: Basis | None = None
    status: Status = Status.NO_DATA
    provisional: bool = False
    unreported: int = 0  # periods ended since the last report that have no value counted
    figures: Figures | None = None  # every period's figures, for the trend chart

    @property
    def bar(self) -> Decimal | None:
        return clamped(self.progress)


@dataclass
class Node:
    result: Result
    indicators: list[IndicatorFigures]


@dataclass
class ResultsTree:
    nodes: list[Node]
    unlinked: list[IndicatorFigures]
    include_provisional: bool = False

    @property
    def provisional(self) -> bool:
        """Whether any figure shown rests on a provisional value."""
        rows = [row for node in self.nodes for row in node.indicators] + self.unlinked
        return any(row.provisional for row in rows)


def load(session: Session, project: Project, bands: StatusBands, today: date, *,
         include_provisional: bool = False) -> ResultsTree:
    results = list(session.scalars(sa.select(Result).where(Result.project_id == project.id)))
    loaded = indicator_figures.load(session, project, bands,
                                    include_provisional=include_provisional)
    shown: dict[int, IndicatorFigures] = {}
    for indicator in loaded.indicators:
        computed = loaded.of(indicator)
        row = IndicatorFigures(indicator, targets=[
            (p.start, p.end, p.target) for p in computed.periods if p.target is not None],
            figures=computed)
        latest = computed.latest
        if latest is not None:
            row.actual, row.last_reported = latest.to_date, latest.end
            row.progress, row.basis, row.status = latest.progress, latest.basis, latest.status
            row.provisional = latest.provisional
            row.qualifier = loaded.qualifier(indicator)
            row.unreported = sum(1 for p in computed.periods
                                 if p.start > latest.start and p.end < today and not p.reported)
        shown[indicator.id] = row
    by_result: dict[int | None, list[IndicatorFigures]] = {}
    for indicator in loaded.indicators:
        by_result.setdefault(indicator.result_id, []).append(shown[indicator.id])
    return ResultsTree(
        nodes=[Node(r, by_result.get(r.id, [])) for r in chain_order(results)],
        unlinked=by_result.get(None, []),
        include_provisional=include_provisional,
    )
