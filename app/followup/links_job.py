"""Looking for new suggestions as a job: with many recommendations the pair model scores
candidate pairs for longer than a web request should wait, so the search runs on the queue
(at once, in the request, where there is none) and its page follows the pairs scored."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.audit import Actor
from app.auth.models import User
from app.auth.permissions import can
from app.followup import links
from app.followup.models import Recommendation
from app.jobs import services as jobs
from app.jobs.models import Job, JobState

KIND = "recommendation_links.suggest"


def runs_as_job(session: Session, limit: int) -> bool:
    """Whether a search over the recommendations there are now should run as a job."""
    count = session.scalar(sa.select(sa.func.count()).select_from(Recommendation)) or 0
    return count > limit


def running(session: Session) -> Job | None:
    """A search that is waiting or running already: a second one would only repeat it."""
    return session.scalars(
        sa.select(Job).where(Job.kind == KIND,
                             Job.state.in_((JobState.QUEUED, JobState.RUNNING)))
        .order_by(Job.id).limit(1)).first()


def start(session: Session, actor: Actor) -> Job:
    return jobs.enqueue(session, actor, KIND)


def perform(session: Session, actor: Actor, params: dict[str, Any],
            progress: jobs.Progress) -> jobs.Outcome:
    # The manager's role is checked again when the job runs, as a request would check it.
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    if not can(user, "recommendations.link"):
        raise jobs.JobFailed(_l("You may no longer link recommendations; nothing was written."))
    run = links.suggest_links(session, actor, progress=progress)
    return jobs.Outcome(summary={"suggested": len(run.new), "rescored": run.rescored,
                                 "scored": progress.total or 0})


jobs.register(KIND, perform, title=_l("Looking for recurring recommendations"),
              result_template="followup/_suggest_result.html",
              result_context=lambda summary: {key: summary.get(key)
                                              for key in ("scored", "suggested", "rescored")})
