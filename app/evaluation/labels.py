"""Translatable labels for the evaluation domain, and the data-quality flags of
``indicators.quality`` worded in the reader's language (``flag_detail``)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app import formatting
from app.evaluation.models import Criterion, ScoreAspect, ScoreState
from app.frameworks import labels as framework_labels
from app.frameworks.models import Frequency
from indicators.quality import (
    DetailCode,
    Flag,
    FlagKind,
    LateDetail,
    MismatchDetail,
    OutlierDetail,
)

CRITERION = {
    Criterion.RELEVANCE: _l("Relevance"),
    Criterion.COHERENCE: _l("Coherence"),
    Criterion.EFFECTIVENESS: _l("Effectiveness"),
    Criterion.EFFICIENCY: _l("Efficiency"),
    Criterion.IMPACT: _l("Impact"),
    Criterion.SUSTAINABILITY: _l("Sustainability"),
}
# The question the OECD-DAC asks under each criterion.
CRITERION_QUESTION = {
    Criterion.RELEVANCE: _l("Is the intervention doing the right things?"),
    Criterion.COHERENCE: _l("How well does the intervention fit?"),
    Criterion.EFFECTIVENESS: _l("Is the intervention achieving its objectives?"),
    Criterion.EFFICIENCY: _l("How well are resources being used?"),
    Criterion.IMPACT: _l("What difference does the intervention make?"),
    Criterion.SUSTAINABILITY: _l("Will the benefits last?"),
}
ASPECT = {
    ScoreAspect.ACHIEVEMENT: _l("Achievement"),
    ScoreAspect.DATA_QUALITY: _l("Data quality"),
    ScoreAspect.CRITERION: _l("Project rating"),
}
FREQUENCY = {Frequency.MONTHLY: _l("Monthly"), Frequency.QUARTERLY: _l("Quarterly"),
             Frequency.SEMI_ANNUAL: _l("Every six months"), Frequency.ANNUAL: _l("Annual")}
STATE = {ScoreState.DRAFT: _l("Draft"), ScoreState.FINAL: _l("Final")}
FLAG_KIND = {
    FlagKind.MISSING_PERIOD: _l("Missing period"),
    FlagKind.TOTAL_MISMATCH: _l("Total disagrees with categories"),
    FlagKind.OUTLIER: _l("Outlier"),
    FlagKind.LATE_REPORT: _l("Late report"),
}
#: Decimals of a modified z-score as a flag shows it.
SCORE_DECIMALS = 1


def flag_detail(flag: Flag) -> str:
    """What a data-quality flag found, as a phrase in the reader's language, with its dates
    and figures written for the reader's locale. The one place that words a flag: pages and
    exports all call it."""
    detail = flag.detail
    if isinstance(detail, LateDetail):
        return _late(detail)
    if isinstance(detail, OutlierDetail):
        return _("value %(value)s is far from the median %(median)s (modified z-score "
                 "%(score)s, limit %(limit)s)", value=formatting.number(detail.value),
                 median=formatting.number(detail.median),
                 score=formatting.number(detail.score, SCORE_DECIMALS),
                 limit=formatting.number(detail.limit))
    if isinstance(detail, MismatchDetail):
        return _mismatch(detail)
    return _("no value reported for the period starting %(start)s",
             start=formatting.date(flag.period))


def _late(detail: LateDetail) -> str:
    due = formatting.date(detail.due)
    if detail.code is DetailCode.LATE_SUBMITTED and detail.submitted is not None:
        return ngettext("submitted on %(submitted)s, %(num)d day after the due date %(due)s",
                        "submitted on %(submitted)s, %(num)d days after the due date %(due)s",
                        detail.days, submitted=formatting.date(detail.submitted), due=due)
    return ngettext("not submitted; %(num)d day past the due date %(due)s",
                    "not submitted; %(num)d days past the due date %(due)s", detail.days, due=due)


def _mismatch(detail: MismatchDetail) -> str:
    difference = detail.difference
    figures = {
        "disaggregation": str(framework_labels.DISAGGREGATION.get(detail.disaggregation)
                              or detail.disaggregation.replace("_", " ")),
        "expected": formatting.number(detail.expected),
        "actual": formatting.number(detail.actual),
        "difference": ("+" if difference > 0 else "") + formatting.number(difference),
    }
    if detail.code is DetailCode.TOTAL_MISMATCH_MAX:
        return _("total is %(expected)s but the largest %(disaggregation)s category is "
                 "%(actual)s (difference %(difference)s)", **figures)
    if detail.field == "numerator":
        return _("total numerator is %(expected)s but the %(disaggregation)s category "
                 "numerators add up to %(actual)s (difference %(difference)s)", **figures)
    if detail.field == "denominator":
        return _("total denominator is %(expected)s but the %(disaggregation)s category "
                 "denominators add up to %(actual)s (difference %(difference)s)", **figures)
    return _("total is %(expected)s but the %(disaggregation)s categories add up to "
             "%(actual)s (difference %(difference)s)", **figures)


# Krippendorff (2004): rely on alpha >= 0.800; draw tentative conclusions from 0.667.
AGREEMENT_BAND = {
    "reliable": _l("Reliable agreement (alpha of at least 0.800)"),
    "tentative": _l("Tentative agreement (alpha from 0.667 to under 0.800)"),
    "low": _l("Low agreement (alpha under 0.667): discuss the scores before relying on them"),
    "none": _l("Not enough paired scores: alpha needs at least two evaluators who finalised "
               "scores for the same item, and some variation between the scores"),
}
AUDIT_ACTION = {
    "indicator_score.create": _l("Indicator score given"),
    "indicator_score.update": _l("Indicator score changed"),
    "indicator_score.finalise": _l("Indicator score finalised"),
    "project_rating.create": _l("Project rating given"),
    "project_rating.update": _l("Project rating changed"),
    "project_rating.finalise": _l("Project rating finalised"),
    "consensus_score.create": _l("Consensus score recorded"),
    "consensus_score.update": _l("Consensus score changed"),
}
