"""Translatable labels for the values of results frameworks: results, risks, budget lines,
indicators and the completeness checklist."""

from flask_babel import lazy_gettext as _l

from app.frameworks.models import (
    ActivityKind,
    ActivitySource,
    AssumptionStatus,
    BudgetCategory,
    Frequency,
    IndicatorType,
    ResultLevel,
    RiskCategory,
)
from indicators.bank import Theme
from indicators.completeness import Gap, Step
from indicators.smart import Missing
from indicators.types import Calculation, Cumulation, Direction, Measure, Status

RESULT_LEVEL = {ResultLevel.GOAL: _l("Goal"), ResultLevel.OUTCOME: _l("Outcome"),
                ResultLevel.OUTPUT: _l("Output")}
ASSUMPTION_STATUS = {AssumptionStatus.UNTESTED: _l("Untested"),
                     AssumptionStatus.HOLDING: _l("Holding"),
                     AssumptionStatus.FAILED: _l("Failed")}
RISK_CATEGORY = {
    RiskCategory.OPERATIONAL: _l("Operational"),
    RiskCategory.CONTEXTUAL: _l("Contextual"),
    RiskCategory.DO_NO_HARM: _l("Do no harm"),
    RiskCategory.HUMAN_RIGHTS: _l("Human rights"),
    RiskCategory.FIDUCIARY: _l("Fiduciary"),
}
BUDGET_CATEGORY = {
    BudgetCategory.PERSONNEL: _l("Personnel"),
    BudgetCategory.ACTIVITIES: _l("Activities"),
    BudgetCategory.TRAVEL: _l("Travel"),
    BudgetCategory.EQUIPMENT: _l("Equipment"),
    BudgetCategory.MONITORING_EVALUATION: _l("Monitoring and evaluation"),
    BudgetCategory.INDIRECT: _l("Indirect costs"),
    BudgetCategory.OTHER: _l("Other"),
}
INDICATOR_TYPE = {IndicatorType.OUTPUT: _l("Output"), IndicatorType.OUTCOME: _l("Outcome"),
                  IndicatorType.IMPACT: _l("Impact"), IndicatorType.CONTEXT: _l("Context")}
MEASURE = {Measure.NUMBER: _l("Number"), Measure.PERCENTAGE: _l("Percentage"),
           Measure.NOMINAL: _l("Nominal (categories)"), Measure.ORDINAL: _l("Ordinal (scale)"),
           Measure.QUALITATIVE: _l("Qualitative")}
DIRECTION = {Direction.INCREASE: _l("Increase"), Direction.DECREASE: _l("Decrease"),
             Direction.MAINTAIN: _l("Maintain")}
CALCULATION = {Calculation.SUM: _l("Sum"), Calculation.MEAN: _l("Mean"),
               Calculation.MAX: _l("Maximum"), Calculation.LATEST: _l("Latest value"),
               Calculation.RATIO: _l("Ratio (numerator ÷ denominator)")}
CUMULATION = {
    Cumulation.NON_CUMULATIVE: _l("Non-cumulative: each period stands alone"),
    Cumulation.CUMULATIVE: _l("Cumulative: periods add up to a running total"),
    Cumulation.NON_SUMMING_CUMULATIVE: _l("Non-summing cumulative: each value is to date"),
}
FREQUENCY = {Frequency.MONTHLY: _l("Monthly"), Frequency.QUARTERLY: _l("Quarterly"),
             Frequency.SEMI_ANNUAL: _l("Every six months"), Frequency.ANNUAL: _l("Annual")}
ACTIVITY_SOURCE = {ActivitySource.ACTIVITY_COUNT: _l("Count of activities in the activity log"),
                   ActivitySource.PARTICIPANTS: _l("Participants in the activity log")}
ACTIVITY_KIND = {
    ActivityKind.WORKSHOP: _l("Workshop"),
    ActivityKind.TRAINING: _l("Training"),
    ActivityKind.OUTREACH: _l("Outreach"),
    ActivityKind.COUNTER_NARRATIVE: _l("Counter-narrative content"),
    ActivityKind.DIALOGUE: _l("Dialogue"),
    ActivityKind.RESEARCH: _l("Research"),
    ActivityKind.MENTORING: _l("Mentoring"),
    ActivityKind.OTHER: _l("Other"),
}
STATUS = {Status.ON_TRACK: _l("On track"), Status.AT_RISK: _l("At risk"),
          Status.OFF_TRACK: _l("Off track"), Status.NO_DATA: _l("No data")}
THEME = {
    Theme.YOUTH: _l("Youth"),
    Theme.WOMEN: _l("Women"),
    Theme.RELIGIOUS_LEADERS: _l("Religious leaders"),
    Theme.ONLINE: _l("Online"),
    Theme.PRISONS_REHABILITATION: _l("Prisons and rehabilitation"),
    Theme.RETURNEES: _l("Returnees"),
    Theme.MIGRANTS: _l("Migrants"),
    Theme.COMMUNITY_RESILIENCE: _l("Community resilience and trust"),
    Theme.INSTITUTIONAL_CAPACITY: _l("Institutional capacity"),
    Theme.STRATEGY_COORDINATION: _l("Strategy and coordination"),
    Theme.DO_NO_HARM: _l("Do no harm"),
}
DISAGGREGATION = {"sex": _l("Sex"), "age_group": _l("Age group"), "country": _l("Country"),
                  "target_group": _l("Target group"), "location": _l("Location")}

STEP = {
    Step.RESOURCES: _l("Resource allocation"),
    Step.RESULTS: _l("Goal setting: results chain, theory of change and assumptions"),
    Step.RISKS: _l("Goal setting: risk register"),
    Step.INDICATORS: _l("Indicator identification"),
}
STEP_HELP = {
    Step.RESOURCES: _l("Budget lines per result and category, with a share set aside for "
                       "monitoring and evaluation."),
    Step.RESULTS: _l("A goal, outcomes and outputs, each with its theory of change, and the "
                     "assumptions they rest on."),
    Step.RISKS: _l("What could go wrong, including harm to the people the project works with, "
                   "and who watches it."),
    Step.INDICATORS: _l("How each outcome and output is measured: baseline, targets, source, "
                        "responsible person, frequency and means of verification."),
}
GAP = {
    Gap.NO_BUDGET_LINES: _l("No budget line yet."),
    Gap.NO_ME_BUDGET: _l("Nothing is set aside for monitoring and evaluation."),
    Gap.OVER_BUDGET: _l("The budget lines plan more than the project's budget."),
    Gap.NO_GOAL: _l("No goal yet."),
    Gap.NO_OUTCOME: _l("No outcome yet."),
    Gap.NO_OUTPUT: _l("No output yet."),
    Gap.OUTCOME_WITHOUT_OUTPUT: _l("Outcomes without an output"),
    Gap.NO_THEORY_OF_CHANGE: _l("Results without a complete theory of change (if, then, "
                                "because)"),
    Gap.NO_ASSUMPTION: _l("No assumption recorded."),
    Gap.NO_RISK: _l("No risk recorded."),
    Gap.NO_DO_NO_HARM_RISK: _l("No do-no-harm risk recorded."),
    Gap.RISK_WITHOUT_MITIGATION: _l("Risks without a mitigation"),
    Gap.RISK_WITHOUT_OWNER: _l("Risks without an owner"),
    Gap.NO_INDICATOR: _l("No indicator yet."),
    Gap.RESULT_WITHOUT_INDICATOR: _l("Outcomes and outputs without an indicator"),
    Gap.INDICATOR_WITHOUT_RESULT: _l("Indicators not linked to a result"),
    Gap.NO_BASELINE: _l("Indicators without a baseline"),
    Gap.NO_TARGET: _l("Indicators without a target"),
    Gap.NO_DATA_SOURCE: _l("Indicators without a data source"),
    Gap.NO_RESPONSIBLE: _l("Indicators without a responsible person"),
    Gap.NO_FREQUENCY: _l("Indicators without a reporting frequency"),
    Gap.NO_MEANS_OF_VERIFICATION: _l("Indicators without a means of verification"),
    Gap.PERIOD_TARGETS_MISSING: _l("Indicators without a target for every reporting period"),
}
MISSING = {
    Missing.BASELINE: _l("no baseline"),
    Missing.TARGET: _l("no target"),
    Missing.DATA_SOURCE: _l("no data source"),
    Missing.RESPONSIBLE: _l("no responsible person"),
    Missing.FREQUENCY: _l("no frequency"),
    Missing.MEANS_OF_VERIFICATION: _l("no means of verification"),
}

AUDIT_ACTION = {
    "budget_line.create": _l("Budget line added"),
    "budget_line.update": _l("Budget line changed"),
    "budget_line.delete": _l("Budget line removed"),
    "result.create": _l("Result added"),
    "result.update": _l("Result changed"),
    "result.delete": _l("Result removed"),
    "result.move": _l("Results reordered"),
    "result.renumber": _l("Results renumbered"),
    "assumption.create": _l("Assumption added"),
    "assumption.update": _l("Assumption changed"),
    "assumption.delete": _l("Assumption removed"),
    "risk.create": _l("Risk added"),
    "risk.update": _l("Risk changed"),
    "risk.delete": _l("Risk removed"),
    "indicator.create": _l("Indicator added"),
    "indicator.update": _l("Indicator changed"),
    "indicator.delete": _l("Indicator removed"),
    "indicator.targets": _l("Period targets set"),
    "periods.create": _l("Reporting periods created"),
}
