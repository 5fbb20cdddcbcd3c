"""Results frameworks: results, assumptions, risks, budget lines, indicators, periods, targets,
data values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from app.frameworks import indicator_services as services
from app.frameworks.models import (
    Assumption,
    AssumptionStatus,
    BudgetCategory,
    BudgetLine,
    Frequency,
    Indicator,
    IndicatorType,
    ReportingPeriod,
    Result,
    ResultLevel,
    Risk,
    RiskCategory,
    Target,
)
from app.monitoring.models import DataValue
from seed.factories.base import BaseFactory, current_session


def total_category_id() -> int:
    """The reference category that holds totals, looked up in the factories' session."""
    return services.total_category_id(current_session())


class ResultFactory(BaseFactory):
    class Meta:
        model = Result

    project = factory.SubFactory("seed.factories.programmes.ProjectFactory")
    level = ResultLevel.GOAL
    code = factory.Sequence(lambda n: f"R{n}")
    position = factory.Sequence(lambda n: n)
    statement = factory.Sequence(lambda n: f"Communities resist recruitment into violence ({n})")
    illustrative = True


class AssumptionFactory(BaseFactory):
    class Meta:
        model = Assumption

    result = factory.SubFactory(ResultFactory)
    text = "Local authorities keep allowing community dialogue"
    status = AssumptionStatus.UNTESTED


class RiskFactory(BaseFactory):
    class Meta:
        model = Risk

    class Params:
        project = factory.SubFactory("seed.factories.programmes.ProjectFactory")

    project_id = factory.LazyAttribute(lambda o: o.project.id)
    category = RiskCategory.DO_NO_HARM
    description = "Participants are stigmatised as suspects by their neighbours"
    likelihood = 3
    impact = 4
    mitigation = "No names in public materials; consent before any photograph"
    owner = "Project manager"


class BudgetLineFactory(BaseFactory):
    class Meta:
        model = BudgetLine

    class Params:
        project = factory.SubFactory("seed.factories.programmes.ProjectFactory")

    project_id = factory.LazyAttribute(lambda o: o.project.id)
    category = BudgetCategory.ACTIVITIES
    description = factory.Sequence(lambda n: f"Community dialogues, round {n}")
    planned = Decimal("10000.00")
    illustrative = True


class IndicatorFactory(BaseFactory):
    class Meta:
        model = Indicator

    project = factory.SubFactory("seed.factories.programmes.ProjectFactory")
    code = factory.Sequence(lambda n: f"I{n}")
    position = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"Young people trained as peer speakers ({n})")
    type = IndicatorType.OUTPUT
    unit = "people"
    frequency = Frequency.QUARTERLY
    baseline_value = Decimal(0)
    target_value = Decimal(300)
    data_source = "Training records"
    means_of_verification = "Signed attendance sheets"
    responsible = "M&E officer"
    illustrative = True


class ReportingPeriodFactory(BaseFactory):
    class Meta:
        model = ReportingPeriod

    project = factory.SubFactory("seed.factories.programmes.ProjectFactory")
    frequency = Frequency.QUARTERLY
    start_date = dt.date(2024, 1, 1)
    end_date = dt.date(2024, 3, 31)
    due_date = dt.date(2024, 4, 30)


class TargetFactory(BaseFactory):
    class Meta:
        model = Target

    class Params:
        indicator = factory.SubFactory(IndicatorFactory)
        period = factory.SubFactory(ReportingPeriodFactory)

    indicator_id = factory.LazyAttribute(lambda o: o.indicator.id)
    period_id = factory.LazyAttribute(lambda o: o.period.id)
    category_id = factory.LazyFunction(total_category_id)
    value = Decimal(50)


class DataValueFactory(BaseFactory):
    class Meta:
        model = DataValue

    class Params:
        indicator = factory.SubFactory(IndicatorFactory)
        period = factory.SubFactory(ReportingPeriodFactory)

    indicator_id = factory.LazyAttribute(lambda o: o.indicator.id)
    period_id = factory.LazyAttribute(lambda o: o.period.id)
    category_id = factory.LazyFunction(total_category_id)
    value = Decimal(40)
