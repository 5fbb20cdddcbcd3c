"""A project set up for data collection, and a reader for the data entry form."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import sqlalchemy as sa

from app.audit import Actor
from app.auth.models import MemberRole, Role
from app.frameworks import indicator_services as services
from app.frameworks.models import (
    ActivityKind,
    ActivitySource,
    DisaggregationCategory,
    DisaggregationType,
    Frequency,
    Indicator,
    ReportingPeriod,
)
from indicators.types import Calculation, Measure
from seed.factories import IndicatorFactory, MemberFactory, ProjectFactory, UserFactory


@dataclass
class DataSetup:
    project: Any
    officer: Any
    manager: Any
    periods: list[ReportingPeriod]
    indicators: dict[str, Indicator]
    categories: dict[tuple[str, str], int]

    @property
    def period(self) -> ReportingPeriod:
        return self.periods[0]

    def key(self, code: str, type_code: str = "total", category: str = "total") -> str:
        return f"{self.indicators[code].id}-{self.categories[(type_code, category)]}"


def categories(session: Any) -> dict[tuple[str, str], int]:
    return {(t, c): i for i, t, c in session.execute(
        sa.select(DisaggregationCategory.id, DisaggregationType.code, DisaggregationCategory.code)
        .join(DisaggregationType))}


def build(session: Any, *, code: str | None = None) -> DataSetup:
    """A project (2024–2025) with quarterly periods and five indicators: N (number, by sex),
    R (ratio, by sex), Q (qualitative), W (count of workshops, by country) and P
    (participants, by sex and age group)."""
    project = ProjectFactory(**({"code": code} if code else {}),
                             start_date=dt.date(2024, 1, 1), end_date=dt.date(2025, 12, 31))
    officer = UserFactory(role=Role.OFFICER)
    manager = UserFactory(role=Role.MANAGER)
    MemberFactory(user=officer, project=project, role=MemberRole.OFFICER)
    types = {t.code: t for t in session.scalars(sa.select(DisaggregationType))}
    specs = {
        "N": {"disaggregations": ["sex"]},
        "R": {"calculation": Calculation.RATIO, "measure": Measure.PERCENTAGE,
              "numerator_label": "Speakers who gave a talk",
              "denominator_label": "Speakers trained", "disaggregations": ["sex"]},
        "Q": {"measure": Measure.QUALITATIVE, "calculation": Calculation.LATEST},
        "W": {"activity_source": ActivitySource.ACTIVITY_COUNT,
              "activity_kind": ActivityKind.WORKSHOP, "disaggregations": ["country"]},
        "P": {"activity_source": ActivitySource.PARTICIPANTS,
              "disaggregations": ["sex", "age_group"]},
    }
    indicators = {}
    for position, (name, spec) in enumerate(specs.items()):
        wanted = spec.pop("disaggregations", [])
        indicator = IndicatorFactory(project=project, code=name, position=position,
                                     frequency=Frequency.QUARTERLY, **spec)
        indicator.disaggregations = [types[t] for t in wanted]
        indicators[name] = indicator
    session.commit()
    periods = services.ensure_periods(session, Actor.system(), project, Frequency.QUARTERLY)
    return DataSetup(project, officer, manager, periods, indicators, categories(session))


class _FormReader(HTMLParser):
    def __init__(self, form_id: str | None) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._textarea: str | None = None
        self._in_form = form_id is None
        self._form_id = form_id

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form" and self._form_id and self._form_id in (found.get("class") or ""):
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input" and found.get("name") and found.get("type") != "submit":
            self.fields[found["name"] or ""] = found.get("value") or ""
        if tag == "textarea" and found.get("name"):
            self._textarea = found["name"]
            self.fields[self._textarea or ""] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        if tag == "form" and self._form_id:
            self._in_form = False

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data.lstrip("\n") if not self.fields[
                self._textarea] else data


def grid_form(client: Any, period: ReportingPeriod) -> dict[str, str]:
    """The fields of the period's data entry form as the page renders them."""
    page = client.get(f"/periods/{period.id}/data")
    assert page.status_code == 200, page.data[:300]
    reader = _FormReader("dc-grid")
    reader.feed(page.get_data(as_text=True))
    return reader.fields


def sign_in(client: Any, user: Any) -> None:
    """Sign ``user`` in on a second test client (the password of the user factory)."""
    from seed.factories import DEFAULT_PASSWORD

    response = client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302, response.data[:300]
