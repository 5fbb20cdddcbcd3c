"""Translatable labels for the stored values of the follow-up domain."""

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from app.followup.models import ActionKind, EventKind, EventRole, LinkState, Priority, Theme
from indicators.followup import ActionRole, ActionState, FollowUpStatus, RecommendationStatus

EVENT_KIND = {
    EventKind.WORKSHOP: _l("Workshop"),
    EventKind.CONFERENCE: _l("Conference"),
    EventKind.SEMINAR: _l("Seminar"),
    EventKind.ROUND_TABLE: _l("Round table"),
    EventKind.TRAINING: _l("Training"),
    EventKind.HIGH_LEVEL_MEETING: _l("High-level meeting"),
}
EVENT_ROLE = {EventRole.ORGANISER: _l("Organiser"), EventRole.FUNDER: _l("Funder")}
PRIORITY = {
    Priority.CRITICAL: _l("Critical"),
    Priority.IMPORTANT: _l("Important"),
    Priority.NORMAL: _l("Normal"),
}
RECOMMENDATION_STATUS = {
    RecommendationStatus.NOT_STARTED: _l("Not started"),
    RecommendationStatus.IN_PROGRESS: _l("In progress"),
    RecommendationStatus.PARTIALLY_IMPLEMENTED: _l("Partially implemented"),
    RecommendationStatus.IMPLEMENTED: _l("Implemented"),
    RecommendationStatus.NOT_IMPLEMENTED: _l("Not implemented"),
    RecommendationStatus.NO_LONGER_APPLICABLE: _l("No longer applicable"),
}
ACTION_KIND = {
    ActionKind.POLICY_ADOPTED: _l("Policy or law adopted"),
    ActionKind.PLAN_ADOPTED: _l("Plan or strategy adopted"),
    ActionKind.FUNDING_COMMITTED: _l("Funding committed"),
    ActionKind.PROGRAMME_LAUNCHED: _l("Programme or project launched"),
    ActionKind.TRAINING_DELIVERED: _l("Training or service delivered"),
    ActionKind.RESEARCH_PUBLISHED: _l("Research published"),
    ActionKind.INSTITUTION_CREATED: _l("Institution created"),
    ActionKind.MEETING_HELD: _l("Meeting or event held"),
    ActionKind.OTHER: _l("Other"),
}
ACTION_STATE = {ActionState.PLANNED: _l("Planned (a promise)"), ActionState.DONE: _l("Done")}
# How an action stands in its event's verdict, as of a date (the same words as the event page).
ACTION_ROLE = {
    ActionRole.COUNTS: _l("Done: counts as follow-up"),
    ActionRole.AWAITING_VERIFICATION: _l("Done, awaiting verification"),
    ActionRole.AT_EVENT: _l("Commitment made at the event"),
    ActionRole.MEETING_ONLY: _l("Meeting held, not counted"),
    ActionRole.PLANNED: _l("Promise"),
    ActionRole.NOT_YET: _l("Done, not counted"),
    ActionRole.REJECTED: _l("Report rejected"),
}
LINK_STATE = {
    LinkState.SUGGESTED: _l("Suggested"),
    LinkState.CONFIRMED: _l("Confirmed"),
    LinkState.REJECTED: _l("Rejected"),
}
FOLLOW_UP_STATUS = {
    FollowUpStatus.NONE_RECORDED: _l("No recommendations"),
    FollowUpStatus.PENDING: _l("Pending"),
    FollowUpStatus.TALK_SHOP: _l("Talk shop"),
    FollowUpStatus.WEAK: _l("Weak follow-up"),
    FollowUpStatus.FOLLOWED_UP: _l("Followed up"),
}


def status_count(status: FollowUpStatus | str, count: int) -> str:
    """A number of events of one follow-up status, as a phrase in which the words agree with
    the number ("1 talk shop", "5 talk shops"; «1 мероприятие…», «5 мероприятий…»)."""
    status = FollowUpStatus(status)
    if status is FollowUpStatus.TALK_SHOP:
        return ngettext("%(num)d talk shop", "%(num)d talk shops", count)
    if status is FollowUpStatus.WEAK:
        return ngettext("%(num)d with weak follow-up", "%(num)d with weak follow-up", count)
    if status is FollowUpStatus.FOLLOWED_UP:
        return ngettext("%(num)d followed up", "%(num)d followed up", count)
    if status is FollowUpStatus.PENDING:
        return ngettext("%(num)d pending", "%(num)d pending", count)
    return ngettext("%(num)d without recommendations", "%(num)d without recommendations", count)


THEME = {
    Theme.RESEARCH: _l("Research"),
    Theme.YOUTH: _l("Youth"),
    Theme.WOMEN: _l("Women"),
    Theme.RELIGIOUS_LEADERS: _l("Religious leaders"),
    Theme.ONLINE: _l("Online"),
    Theme.MEDIA: _l("Media"),
    Theme.PRISONS: _l("Prisons"),
    Theme.MIGRANTS: _l("Migrants"),
    Theme.RETURNEES: _l("Returnees"),
    Theme.BORDER_MANAGEMENT: _l("Border management"),
    Theme.NATIONAL_STRATEGY: _l("National strategies"),
    Theme.REGIONAL_COOPERATION: _l("Regional cooperation"),
    Theme.CIVIL_SOCIETY: _l("Civil society"),
    Theme.GOVERNANCE_HUMAN_RIGHTS: _l("Governance and human rights"),
    Theme.TRAINING: _l("Training"),
    Theme.DONOR_COORDINATION: _l("Donor coordination"),
    Theme.LAW_ENFORCEMENT: _l("Law enforcement"),
    Theme.FAMILIES: _l("Families"),
}
AUDIT_ACTION = {
    "event.create": _l("Event created"),
    "event.update": _l("Event changed"),
    "recommendation.create": _l("Recommendation created"),
    "recommendation.update": _l("Recommendation changed"),
    "recommendation.status": _l("Recommendation status changed"),
    "followup_action.create": _l("Follow-up action recorded"),
    "followup_action.update": _l("Follow-up action changed"),
    "followup_action.verify": _l("Follow-up action verified"),
    "followup_action.reject": _l("Reported follow-up action rejected"),
    "followup_action.report_back": _l("Follow-up action reported through a report-back link"),
    "report_back.send": _l("Report-back link sent"),
    "report_back.revoke": _l("Report-back link revoked"),
    "recommendation_link.suggest": _l("Recurring recommendations suggested"),
    "recommendation_link.confirm": _l("Recurring recommendation confirmed"),
    "recommendation_link.reject": _l("Recurring recommendation rejected"),
}


# The concepts of the recommendation matcher (indicators/vocabulary.toml), as the manager who
# confirms or rejects a suggested link reads them: the codes come from the core, the words
# from here. A concept added to the vocabulary without a label here shows its code.
CONCEPT = {
    "academia": _l("research institutions"),
    "awareness": _l("awareness raising"),
    "border": _l("borders"),
    "children": _l("children"),
    "civil_society": _l("civil society"),
    "communities": _l("local communities"),
    "community_policing": _l("community policing"),
    "conflict_resolution": _l("conflict prevention"),
    "counter_narratives": _l("counter-narratives"),
    "criminal_justice": _l("criminal justice"),
    "critical_thinking": _l("critical thinking"),
    "dialogue": _l("dialogue"),
    "donor_coordination": _l("donor coordination"),
    "drivers": _l("root causes"),
    "education": _l("education"),
    "employment": _l("employment"),
    "engagement": _l("engagement"),
    "evidence": _l("evidence and data"),
    "families": _l("families"),
    "focal_points": _l("national focal points"),
    "ftf": _l("foreign terrorist fighters"),
    "funding": _l("funding"),
    "gender_mainstreaming": _l("gender perspective"),
    "good_practice": _l("good practice"),
    "governance": _l("good governance"),
    "hate_speech": _l("hate speech"),
    "human_rights": _l("human rights"),
    "information_sharing": _l("exchange of information"),
    "interagency_coordination": _l("inter-agency coordination"),
    "jpoa": _l("Joint Plan of Action"),
    "juvenile_justice": _l("juvenile justice"),
    "law_enforcement": _l("law enforcement"),
    "legislation": _l("legislation"),
    "local_government": _l("local government"),
    "media": _l("media"),
    "mentoring": _l("mentoring"),
    "migrants": _l("migrants"),
    "monitoring_evaluation": _l("monitoring and evaluation"),
    "national_strategy": _l("national strategies"),
    "online": _l("online"),
    "online_content": _l("removal of online content"),
    "participation": _l("decision-making"),
    "partnership": _l("partnership"),
    "prisons": _l("prisons"),
    "private_sector": _l("private sector"),
    "psychosocial": _l("psychosocial support"),
    "referral": _l("referral and early intervention"),
    "regional_cooperation": _l("regional cooperation"),
    "rehabilitation": _l("rehabilitation"),
    "religious_education": _l("religious education"),
    "religious_leaders": _l("religious leaders"),
    "research": _l("research"),
    "resilience": _l("resilience"),
    "risk_assessment": _l("risk assessment"),
    "social_cohesion": _l("social cohesion"),
    "sport_culture": _l("sport and culture"),
    "teacher_training": _l("teacher training"),
    "terrorist_financing": _l("terrorist financing"),
    "tolerance": _l("tolerance"),
    "training": _l("training"),
    "travel_screening": _l("passenger screening"),
    "un_plans": _l("UN plans"),
    "victims": _l("victims of terrorism"),
    "women": _l("women"),
    "youth": _l("youth"),
}


def concept_label(code: str) -> str:
    """The reader's word for a matcher concept; its code when it has no label."""
    label = CONCEPT.get(code)
    return str(label) if label is not None else code


REPORT_BACK_LOCALE = {"en": _l("In English"), "ru": _l("In Russian")}
