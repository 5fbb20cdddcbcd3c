"""Evidence behind the figures, in a real browser at desktop and at phone width: an officer
attaches a PDF report and a phone photo to a value and an activity, a manager attaches a
decree to a follow-up action, and an evaluator opens them from the evaluation sheet."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from browser import live_server, sign_in
from PIL import ExifTags, Image

from app.audit import Actor
from app.auth.models import User
from app.frameworks.models import Frequency
from app.programmes import services as programme_services
from seed.factories import (
    ActivityFactory,
    DataValueFactory,
    EventFactory,
    FollowUpActionFactory,
    IndicatorFactory,
    ProjectFactory,
    RecommendationFactory,
    ReportingPeriodFactory,
)

pytestmark = pytest.mark.e2e
ACTION_TIMEOUT = 30_000  # as tests/e2e/conftest.py: the limit, not a wait

REPORT = b"%PDF-1.4\n% Quarterly report of the youth dialogue project\ntrailer << >>\n%%EOF\n"
DECREE = b"%PDF-1.4\n% Decree on the municipal prevention plan\ntrailer << >>\n%%EOF\n"


def phone_photo() -> bytes:
    """A photo as a phone takes it: with the camera and the GPS position in its EXIF."""
    image = Image.new("RGB", (120, 90), (90, 140, 60))
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "Pocket phone"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (40.0, 31.0, 0.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _world(session: Any) -> dict[str, Any]:
    project = ProjectFactory(code="EVD-E2E-1", title="Youth dialogue in the Fergana valley",
                             start_date=dt.date(2024, 1, 1), end_date=dt.date(2026, 12, 31))
    period = ReportingPeriodFactory(project=project, frequency=Frequency.QUARTERLY,
                                    start_date=dt.date(2024, 1, 1),
                                    end_date=dt.date(2024, 3, 31),
                                    due_date=dt.date(2024, 4, 30))
    indicator = IndicatorFactory(project=project, code="1.1", frequency=Frequency.QUARTERLY,
                                 name="Young people in dialogue sessions")
    DataValueFactory(indicator=indicator, period=period, value=Decimal(64))
    activity = ActivityFactory(project=project, title="Dialogue session in Osh",
                               start_date=dt.date(2024, 2, 14))
    event = EventFactory(title="Regional conference on prevention", project_id=project.id)
    action = FollowUpActionFactory(recommendation=RecommendationFactory(event=event),
                                   description="The city adopted a prevention plan.")
    session.flush()
    for email in ("officer@example.org", "evaluator@example.org"):
        user = session.scalar(sa.select(User).where(User.email == email))
        programme_services.add_member(session, Actor.system(), project, user)
    session.commit()
    return {"project_id": project.id, "period_id": period.id, "indicator_id": indicator.id,
            "activity_id": activity.id, "event_id": event.id, "action_id": action.id}


@pytest.fixture(scope="module")
def evidence_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Any]]:
    with live_server(tmp_path_factory.mktemp("e2e-evidence"), "e2e_evidence", _world) as served:
        yield served


def _as(browser: Any, width: int) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT)
    return page


def _attach(page: Any, name: str, content: bytes, mime: str, title: str,
            kind: str | None = None) -> None:
    from playwright.sync_api import expect

    page.locator("input#file").set_input_files({"name": name, "mimeType": mime,
                                               "buffer": content})
    page.get_by_label("Title").fill(title)
    if kind:
        page.get_by_label("Kind").select_option(label=kind)
    page.get_by_role("button", name="Attach").click()
    expect(page.get_by_role("status")).to_contain_text(f"“{title}” was attached")
    expect(page.locator(".evidence-list")).to_contain_text(title)


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_evidence_from_the_field_to_the_evaluation_sheet(
        browser: Any, evidence_server: tuple[str, Any], width: int) -> None:
    from playwright.sync_api import expect

    base, data = evidence_server
    suffix = "desktop" if width > 600 else "phone"

    officer = _as(browser, width)
    sign_in(officer, base, "officer", wait=True)
    officer.goto(f"{base}/periods/{data['period_id']}/data")
    # From the data-entry grid the evidence opens in a new tab: unsaved values stay put.
    with officer.expect_popup() as tab:
        officer.locator(f"#indicator-{data['indicator_id']}").locator(".evidence-link").click()
    grid, officer = officer, tab.value
    officer.set_default_timeout(ACTION_TIMEOUT)
    expect(officer.get_by_role("heading", level=1)).to_have_text("Evidence")
    camera = officer.locator("input#file").get_attribute("accept") or ""
    assert "image/*" in camera  # a phone offers its camera
    _attach(officer, "report-q1.pdf", REPORT, "application/pdf", f"Q1 report ({suffix})")
    _attach(officer, "IMG_0042.jpg", phone_photo(), "image/jpeg", f"Session photo ({suffix})",
            kind="Photo")
    grid.close()
    officer.goto(f"{base}/projects/{data['project_id']}/activities")
    officer.locator(f"#activity-{data['activity_id']}").locator(".evidence-link").click()
    _attach(officer, "osh.jpg", phone_photo(), "image/jpeg", f"Osh session ({suffix})",
            kind="Photo")
    officer.context.close()

    manager = _as(browser, width)
    sign_in(manager, base, "manager", wait=True)
    manager.goto(f"{base}/followup/events/{data['event_id']}")
    manager.locator(f"#action-{data['action_id']}").locator(".evidence-link").click()
    _attach(manager, "decree.pdf", DECREE, "application/pdf", f"Decree ({suffix})",
            kind="Official document")
    manager.context.close()

    evaluator = _as(browser, width)
    sign_in(evaluator, base, "evaluator", wait=True)
    evaluator.goto(f"{base}/evaluation/projects/{data['project_id']}"
                   f"?period={data['period_id']}")
    card = evaluator.locator(f"#ind-{data['indicator_id']}")
    expect(card).to_contain_text(f"Q1 report ({suffix})")
    with evaluator.expect_download() as report:
        card.get_by_role("link", name=f"Q1 report ({suffix})").click()
    assert report.value.suggested_filename == "report-q1.pdf"
    assert report.value.path().read_bytes() == REPORT
    with evaluator.expect_download() as photo:
        card.get_by_role("link", name=f"Session photo ({suffix})").click()
    with Image.open(photo.value.path()) as picture:
        assert picture.size == (120, 90)
        assert not picture.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # no position left
    evaluator.goto(f"{base}/evidence/actions/{data['action_id']}")
    expect(evaluator.locator(".evidence-list")).to_contain_text(f"Decree ({suffix})")
    with evaluator.expect_download() as decree:
        evaluator.get_by_role("link", name=re.compile(rf"Decree \({suffix}\)")).click()
    assert decree.value.path().read_bytes() == DECREE
    evaluator.context.close()
