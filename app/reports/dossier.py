"""An event's dossier: what a donor reads before funding the next workshop from the same
organiser. One event's facts and provenance, its verdict and the one sentence that explains
it, every recommendation with its follow-up actions (kind, state, how each stands in the
verdict, verification, evidence files), the recurring recommendations that tie it to other
events, and the follow-up meetings judged on their own.

Every verdict and figure is the follow-up rule's own (``followup.assess``, ``followup.reason``,
``followup.report.documented_of``); this module only gathers them, in a fixed number of
queries whatever the number of recommendations and actions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from app.auth.models import User
from app.evidence import services as evidence_services
from app.evidence.models import EvidenceFile, SubjectKind
from app.followup import links
from app.followup.assess import Assessment, assess, role_of
from app.followup.meetings import FollowUpMeeting, follow_up_meetings
from app.followup.models import Event, EventOrganisation, FollowUpAction, Recommendation
from app.followup.reason import reason
from app.followup.report import documented_of
from app.programmes.models import Project
from indicators.followup import FollowUpSettings


@dataclass
class ActionEntry:
    action: FollowUpAction
    role: str  # how it stands in the verdict (indicators.followup.ActionRole)
    verified_by: str | None
    files: list[EvidenceFile]
    hidden_files: int  # sensitive files the reader may not see, counted only


@dataclass
class RecommendationEntry:
    recommendation: Recommendation
    followed_up: bool
    actions: list[ActionEntry]
    files: list[EvidenceFile]
    hidden_files: int
    recurring: list[links.ChainMember] = field(default_factory=list)  # at other events


@dataclass
class Dossier:
    event: Event
    as_of: dt.date
    assessment: Assessment
    reason: str
    documented: int
    project: Project | None
    files: list[EvidenceFile]
    hidden_files: int
    recommendations: list[RecommendationEntry]
    meetings: list[FollowUpMeeting]

    def organisations(self, role: str) -> list[Any]:
        return [p.organisation for p in self.event.participants if p.role.value == role]


def load_event(session: Session, event_id: int) -> Event | None:
    return session.scalar(sa.select(Event).where(Event.id == event_id).options(
        selectinload(Event.participants).joinedload(EventOrganisation.organisation),
        selectinload(Event.recommendations).selectinload(Recommendation.actions),
        selectinload(Event.recommendations).selectinload(Recommendation.themes),
        selectinload(Event.recommendations).joinedload(Recommendation.responsible_organisation),
    ))


def _split(files: list[EvidenceFile],
           may_see: Callable[[EvidenceFile], bool]) -> tuple[list[EvidenceFile], int]:
    shown = [f for f in files if may_see(f)]
    return shown, len(files) - len(shown)


def load(session: Session, event: Event, as_of: dt.date, settings: FollowUpSettings,
         may_see: Callable[[EvidenceFile], bool]) -> Dossier:
    assessment = assess(event, as_of, settings)
    recommendations = list(event.recommendations)
    actions = [a for r in recommendations for a in r.actions]
    files = {
        kind: evidence_services.files_by_subject(session, kind, ids)
        for kind, ids in ((SubjectKind.EVENT, [event.id]),
                          (SubjectKind.RECOMMENDATION, [r.id for r in recommendations]),
                          (SubjectKind.ACTION, [a.id for a in actions]))}
    verifier_ids = {a.verified_by_id for a in actions if a.verified_by_id is not None}
    verifiers = dict(session.execute(sa.select(User.id, User.name).where(
        User.id.in_(verifier_ids))).all()) if verifier_ids else {}
    own = {r.id for r in recommendations}
    chains = {member.recommendation_id: chain for chain in links.chains(session, as_of)
              for member in chain.members if member.recommendation_id in own}
    entries = []
    for recommendation in recommendations:
        action_entries = []
        for action in recommendation.actions:
            shown, hidden = _split(files[SubjectKind.ACTION].get(action.id, []), may_see)
            action_entries.append(ActionEntry(
                action, role_of(action, event.end_date, as_of, settings).value,
                verifiers.get(action.verified_by_id) if action.verified_by_id else None,
                shown, hidden))
        shown, hidden = _split(files[SubjectKind.RECOMMENDATION].get(recommendation.id, []),
                               may_see)
        chain = chains.get(recommendation.id)
        entries.append(RecommendationEntry(
            recommendation, assessment.followed_up(recommendation), action_entries, shown,
            hidden, [m for m in chain.members if m.event_id != event.id] if chain else []))
    event_files, event_hidden = _split(files[SubjectKind.EVENT].get(event.id, []), may_see)
    return Dossier(
        event=event, as_of=as_of, assessment=assessment,
        reason=reason(assessment.status, assessment.metrics, as_of, settings),
        documented=documented_of(session, event.id, as_of),
        project=session.get(Project, event.project_id) if event.project_id else None,
        files=event_files, hidden_files=event_hidden, recommendations=entries,
        meetings=follow_up_meetings(session, event, as_of, settings))
