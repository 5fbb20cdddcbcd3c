"""Translatable labels for the evaluation domain."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.evaluation.models import Criterion, ScoreAspect, ScoreState
from app.frameworks.models import Frequency
from indicators.quality import FlagKind

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
