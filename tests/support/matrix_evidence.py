"""Role matrix rows of evidence files. A record's files are seen by whoever sees the record and
attached by whoever may change it: values and activities by the members of the project (the
officer attaches), events and recommendations by everyone (staff attach), follow-up actions by
everyone (staff and the officers of the event's project attach). A file is removed by staff
and by the person who attached it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.evidence.models import EvidenceBlob, EvidenceFile, EvidenceKind, SubjectKind
from app.evidence.storage import LocalStorage, digest
from tests_support import TEST_EVIDENCE_DIR

A, F, L = "allowed", "forbidden", "login"
SIGNED_IN = (L, A, A, A, A)
MEMBERS = (L, A, A, A, A)  # staff, and the officer and evaluator of project A
ENTER = (L, A, A, A, F)  # staff, and the officer of project A
STAFF = (L, A, A, F, F)
RECORDERS = (L, A, A, A, F)  # staff, and the officer of the event's project (project A)

ROWS: dict[str, dict[str, tuple[str, ...]]] = {
    "evidence.value_files": {"GET": MEMBERS, "POST": ENTER},
    "evidence.activity_files": {"GET": MEMBERS, "POST": ENTER},
    "evidence.event_files": {"GET": SIGNED_IN, "POST": STAFF},
    "evidence.recommendation_files": {"GET": SIGNED_IN, "POST": STAFF},
    "evidence.action_files": {"GET": SIGNED_IN, "POST": RECORDERS},
    "evidence.download": {"GET": MEMBERS},
    "evidence.remove": {"POST": ENTER},  # the officer attached the world's file
}

OTHER_PROJECT: list[tuple[str, str]] = [
    (endpoint, method) for endpoint in ("evidence.value_files", "evidence.activity_files",
                                        "evidence.download", "evidence.remove")
    for method in ROWS[endpoint]]

ORDER = 1  # the files are attached to the activities of data collection's rows
CONTENT = b"Attendance of the community dialogue, as the partner reported it.\n"


def make_ids(session: Any, world: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    sha = digest(CONTENT)
    LocalStorage(Path(TEST_EVIDENCE_DIR)).put(sha, CONTENT)
    if session.get(EvidenceBlob, sha) is None:
        session.add(EvidenceBlob(sha256=sha, size=len(CONTENT), media_type="text/plain"))

    def ids(project: Any, activity_id: int) -> dict[str, Any]:
        file = EvidenceFile(subject_kind=SubjectKind.ACTIVITY, subject_id=activity_id,
                            project_id=project.id, blob_sha256=sha, title="Partner report",
                            kind=EvidenceKind.REPORT, filename="report.txt",
                            uploaded_by_id=world["users"]["officer"].id)
        session.add(file)
        session.flush()
        return {"file_id": file.id}

    return (ids(world["project_a"], world["ids_a"]["activity_id"]),
            ids(world["project_b"], world["ids_b"]["activity_id"]))
