"""The results framework of a project as a logframe: each result of the chain (goal, outcomes,
outputs) with its theory of change, its indicators (baseline, target, means of verification)
and the assumptions it rests on, then the risks. Three queries whatever its size; printed as
PDF (``documents/logframe.html``) and as a Word table (``logframe_docx``)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from app.frameworks.chain import chain_order
from app.frameworks.models import Indicator, Result, Risk
from app.programmes.models import Project


@dataclass
class Line:
    result: Result | None  # None: indicators linked to no result
    indicators: list[Indicator]
    risks: list[Risk]

    @property
    def has_theory(self) -> bool:
        result = self.result
        return bool(result and (result.toc_if or result.toc_then or result.toc_because))


@dataclass
class Logframe:
    project: Project
    lines: list[Line]
    risks: list[Risk]  # every risk of the project, highest score first


def load(session: Session, project: Project) -> Logframe:
    results = list(session.scalars(
        sa.select(Result).where(Result.project_id == project.id)
        .options(selectinload(Result.assumptions))))
    indicators = list(session.scalars(
        sa.select(Indicator).where(Indicator.project_id == project.id)
        .order_by(Indicator.position, Indicator.id)))
    risks = list(session.scalars(sa.select(Risk).where(Risk.project_id == project.id)))
    risks.sort(key=lambda r: (-r.score, r.id))
    lines = [Line(result, [i for i in indicators if i.result_id == result.id],
                  [r for r in risks if r.result_id == result.id])
             for result in chain_order(results)]
    unlinked = [i for i in indicators if i.result_id is None]
    if unlinked:
        lines.append(Line(None, unlinked, []))
    return Logframe(project, lines, risks)
