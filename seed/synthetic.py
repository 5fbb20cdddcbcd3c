"""Synthetic data at scale, for trying PVE Track with many records and for the benchmarks.

Everything generated is marked illustrative: it shows how the system behaves, it does not
describe any real programme or event. The same seed and sizes give the same data, row for
row, because every choice comes from one seeded random generator and every identifying
value is passed to the factories explicitly.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from app import audit
from app.audit import Actor
from app.followup.models import ActionKind, EventKind, EventRole, Priority
from app.frameworks.models import Frequency, IndicatorType, PeriodState, ResultLevel
from app.programmes.models import ActivityStatus, OrganisationKind
from indicators.followup import ActionState, RecommendationStatus
from indicators.types import Calculation, Cumulation, Direction, Measure
from seed import factories as f
from seed.factories.base import use_session

# The documented dataset's size, which the scale multiplies.
DOCUMENTED = {"programmes": 9, "events": 17}

CITIES = [("Almaty", "KZ"), ("Astana", "KZ"), ("Bishkek", "KG"), ("Osh", "KG"),
          ("Dushanbe", "TJ"), ("Khujand", "TJ"), ("Tashkent", "UZ"), ("Samarkand", "UZ"),
          ("Ashgabat", "TM")]
GROUPS = ["young people", "women", "religious leaders", "migrant workers", "returnees",
          "teachers and parents", "local officials", "journalists"]
ASKS = [
    "Sponsor research on the local drivers of radicalisation among {group}",
    "Involve {group} in designing prevention programmes",
    "Train {group} to counter extremist narratives online",
    "Develop a national action plan that addresses the concerns of {group}",
    "Strengthen regional cooperation on the reintegration of {group}",
    "Protect {group} who speak out against violent extremism",
]
INDICATORS = [
    ("{group} trained in prevention skills", "people", Calculation.SUM),
    ("Community dialogues held with {group}", "events", Calculation.SUM),
    ("{group} who trust local authorities", "%", Calculation.RATIO),
    ("Counter-narrative posts reaching {group}", "views", Calculation.MAX),
]


@dataclass(frozen=True)
class Sizes:
    programmes: int
    projects_per_programme: int = 2
    indicators_per_project: int = 3
    periods_per_project: int = 4
    events: int = 17
    recommendations_per_event: int = 4
    actions_per_recommendation: int = 2

    @classmethod
    def scaled(cls, scale: int) -> Sizes:
        return cls(programmes=DOCUMENTED["programmes"] * scale,
                   events=DOCUMENTED["events"] * scale)


def generate(session: Session, actor: Actor, sizes: Sizes, seed: int = 1,
             prefix: str | None = None) -> dict[str, int]:
    """Write the synthetic records; returns the number of each kind created.

    Programme codes start with ``prefix`` (default ``SYN<seed>``), so that several runs
    with different seeds or prefixes can share a database.
    """
    rng = random.Random(seed)  # noqa: S311 - reproducible sample data, not security
    counts = dict.fromkeys(
        ("organisations", "programmes", "projects", "indicators", "values", "events",
         "recommendations", "actions"), 0)
    use_session(session)
    try:
        orgs = [f.OrganisationFactory(name=f"Synthetic organisation {prefix or seed}-{i}",
                                      acronym=f"SO{i}", kind=rng.choice(list(OrganisationKind)),
                                      country=rng.choice(CITIES)[1], illustrative=True)
                for i in range(max(6, sizes.programmes // 3))]
        counts["organisations"] = len(orgs)
        for p in range(sizes.programmes):
            _programme(rng, orgs, sizes, prefix or f"SYN{seed}", p, counts)
        for e in range(sizes.events):
            _event(rng, orgs, sizes, seed, e, counts)
        audit.record(session, actor, "seed.synthetic", None, None,
                     {"seed": [None, seed], **{k: [None, v] for k, v in asdict(sizes).items()}},
                     reason="synthetic data, illustrative")
        session.commit()
    except Exception:
        session.rollback()
        raise
    finally:
        use_session(None)
    return counts


def _programme(rng: random.Random, orgs: list, sizes: Sizes, prefix: str, p: int,
               counts: dict[str, int]) -> None:
    group = rng.choice(GROUPS)
    city, country = rng.choice(CITIES)
    start = date(2021 + rng.randrange(4), 1, 1)
    programme = f.ProgrammeFactory(
        code=f"{prefix}-P{p:05d}", title=f"Preventing violent extremism among {group} "
        f"({city} region)", lead_organisation=rng.choice(orgs), countries=[country],
        start_date=start, end_date=start + timedelta(days=3 * 365), currency="USD",
        budget=Decimal(rng.randrange(200, 5000) * 1000), status=ActivityStatus.IMPLEMENTATION,
        illustrative=True)
    counts["programmes"] += 1
    for j in range(sizes.projects_per_programme):
        project = f.ProjectFactory(
            programme=programme, code=f"{programme.code}-{j + 1}",
            title=f"{rng.choice(['Dialogue', 'Mentoring', 'Resilience', 'Outreach'])} "
            f"with {group} in {city}", implementer=rng.choice(orgs), countries=[country],
            start_date=start, end_date=start + timedelta(days=2 * 365),
            budget=Decimal(rng.randrange(50, 800) * 1000), status=ActivityStatus.IMPLEMENTATION,
            illustrative=True)
        counts["projects"] += 1
        _framework(rng, project, group, sizes, start, counts)


def _framework(rng: random.Random, project: object, group: str, sizes: Sizes, start: date,
               counts: dict[str, int]) -> None:
    goal = f.ResultFactory(project=project, parent=None, level=ResultLevel.GOAL, code="1",
                           position=1, statement=f"{group.capitalize()} reject violence",
                           illustrative=True)
    output = f.ResultFactory(project=project, parent=goal, level=ResultLevel.OUTPUT,
                             code="1.1", position=1,
                             statement=f"{group.capitalize()} take part in prevention work",
                             illustrative=True)
    periods = []
    for k in range(sizes.periods_per_project):
        first, last = _quarter(start, k)
        periods.append(f.ReportingPeriodFactory(
            project=project, frequency=Frequency.QUARTERLY, start_date=first, end_date=last,
            due_date=last + timedelta(days=30),
            state=PeriodState.APPROVED if k < sizes.periods_per_project - 1
            else PeriodState.OPEN))
    for i in range(sizes.indicators_per_project):
        name, unit, calculation = INDICATORS[i % len(INDICATORS)]
        ratio = calculation is Calculation.RATIO
        indicator = f.IndicatorFactory(
            project=project, result=output, code=f"1.1.{i + 1}", position=i,
            name=name.format(group=group).capitalize(), type=IndicatorType.OUTPUT, unit=unit,
            calculation=calculation, direction=Direction.INCREASE,
            cumulation=Cumulation.CUMULATIVE if calculation is Calculation.SUM
            else Cumulation.NON_CUMULATIVE,
            numerator_label="respondents who trust" if ratio else None,
            denominator_label="respondents" if ratio else None,
            measure=Measure.PERCENTAGE if ratio else Measure.NUMBER,
            frequency=Frequency.QUARTERLY,
            baseline_value=Decimal(rng.randrange(20, 45)) if ratio else Decimal(0),
            target_value=Decimal(rng.randrange(55, 80) if ratio else rng.randrange(50, 500)),
            data_source="Perception survey" if ratio else "Attendance sheets",
            responsible="Programme officer", means_of_verification="Signed lists",
            illustrative=True)
        counts["indicators"] += 1
        for period in periods[:-1]:
            if ratio:
                denominator = rng.randrange(40, 200)
                f.DataValueFactory(indicator=indicator, period=period, value=None,
                                   numerator=Decimal(rng.randrange(0, denominator)),
                                   denominator=Decimal(denominator), illustrative=True)
            else:
                f.DataValueFactory(indicator=indicator, period=period,
                                   value=Decimal(rng.randrange(0, 120)), illustrative=True)
            counts["values"] += 1


def _quarter(start: date, k: int) -> tuple[date, date]:
    """The k-th calendar quarter from the quarter ``start`` falls in."""
    months = (start.month - 1) // 3 * 3 + 3 * k
    first = date(start.year + months // 12, months % 12 + 1, 1)
    after = date(first.year + (first.month + 2) // 12, (first.month + 2) % 12 + 1, 1)
    return first, after - timedelta(days=1)


def _event(rng: random.Random, orgs: list, sizes: Sizes, seed: int, e: int,
           counts: dict[str, int]) -> None:
    city, country = rng.choice(CITIES)
    start = date(2015, 1, 1) + timedelta(days=rng.randrange(0, 365 * 10))
    end = start + timedelta(days=rng.randrange(0, 3))
    total = rng.randrange(20, 150)
    women = rng.randrange(0, total)
    event = f.EventFactory(
        slug=None, title=f"{rng.choice(['Regional', 'National', 'Expert'])} "
        f"{rng.choice(['workshop', 'conference', 'round table'])} on prevention, {city} "
        f"({seed}-{e})", kind=rng.choice(list(EventKind)), start_date=start,
        end_date=end, city=city, country=country,
        participants_total=total, participants_women=women, participants_men=total - women,
        cost=Decimal(rng.randrange(10, 300) * 1000), currency="USD", illustrative=True)
    counts["events"] += 1
    for role in (EventRole.ORGANISER, EventRole.FUNDER):
        f.EventOrganisationFactory(event=event, organisation=rng.choice(orgs), role=role)
    talk_shop = rng.random() < 0.35  # a share of events see no follow-up at all
    for r in range(sizes.recommendations_per_event):
        group = rng.choice(GROUPS)
        recommendation = f.RecommendationFactory(
            event=event, number=str(r + 1), position=r + 1,
            text=rng.choice(ASKS).format(group=group) + ".", priority=rng.choice(list(Priority)),
            status=RecommendationStatus.NOT_STARTED, illustrative=True)
        counts["recommendations"] += 1
        for a in range(sizes.actions_per_recommendation):
            done = not talk_shop and rng.random() < 0.5
            f.FollowUpActionFactory(
                recommendation=recommendation, kind=rng.choice(list(ActionKind)),
                state=ActionState.DONE if done else ActionState.PLANNED,
                action_date=end + timedelta(days=rng.randrange(10, 700)),
                description=f"{'Held' if done else 'Planned'} follow-up step {a + 1}",
                evidence_url=None, illustrative=True)
            counts["actions"] += 1
