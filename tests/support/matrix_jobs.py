"""Role matrix rows of background jobs: a job's page, its state and its file are seen by the
user who asked for it (here the officer of project A, who printed its logframe) and by
administrators; the file also needs the permission the document needed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.jobs.models import Job, JobState
from tests_support import TEST_JOBS_DIR

A, F, L = "allowed", "forbidden", "login"
OWNER = (L, A, F, A, F)  # administrators, and the officer who asked

ROWS: dict[str, dict[str, tuple[str, ...]]] = {
    "jobs.job_page": {"GET": OWNER},
    "jobs.job_state": {"GET": OWNER},
    "jobs.download": {"GET": OWNER},
}

# A job is its owner's (role_world.NOT_FOUND_TO_OTHERS): project B's, asked for by its own
# officer, does not exist for project A's members; tests/functional/test_jobs.py checks it.
OTHER_PROJECT: list[tuple[str, str]] = []


def make_ids(session: Any, world: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    folder = Path(TEST_JOBS_DIR)
    folder.mkdir(parents=True, exist_ok=True)

    def ids(project: Any, owner_id: int) -> dict[str, Any]:
        job = Job(kind="document", owner_id=owner_id, project_id=project.id,
                  state=JobState.DONE, done=1, total=1,
                  params={"document": "logframe", "fmt": "pdf", "project_id": project.id,
                          "permission": "framework.view"},
                  result_name="logframe.pdf", result_type="application/pdf")
        session.add(job)
        session.flush()
        job.result_file = f"matrix-{job.id}.pdf"
        (folder / job.result_file).write_bytes(b"%PDF-1.7 matrix\n")
        session.flush()
        return {"job_id": job.id}

    from app.auth.models import MemberRole, ProjectMember

    member_b = session.query(ProjectMember).filter_by(
        project_id=world["project_b"].id, role=MemberRole.OFFICER).first()
    # Project B's own officer in the role matrix; a world without one (the GET sweep of
    # tests/functional/test_security.py) gives the job to its administrator.
    owner_b = member_b.user_id if member_b else world["users"]["admin"].id
    return (ids(world["project_a"], world["users"]["officer"].id),
            ids(world["project_b"], owner_b))
