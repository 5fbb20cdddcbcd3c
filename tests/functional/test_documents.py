"""Documents read back: the logframe (PDF and Word), an event's dossier, the follow-up and
evaluation reports as PDF, in English and Russian, from the pages and from the command line."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from docx import Document
from docx.oxml.ns import qn
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from pypdf import PdfReader

from app.auth.models import MemberRole, Role
from app.evaluation.models import ScoreState
from app.followup.models import ActionKind, EventRole, LinkState
from app.frameworks.models import (
    AssumptionStatus,
    Frequency,
    Indicator,
    PeriodState,
    ResultLevel,
    RiskCategory,
)
from app.reports import documents
from indicators.followup import ActionState
from seed.factories import (
    AssumptionFactory,
    DataValueFactory,
    EventFactory,
    EventOrganisationFactory,
    FollowUpActionFactory,
    IndicatorFactory,
    IndicatorScoreFactory,
    MemberFactory,
    OrganisationFactory,
    ProjectFactory,
    RecommendationFactory,
    RecommendationLinkFactory,
    ReportingPeriodFactory,
    ResultFactory,
    RiskFactory,
    UserFactory,
)

PDF = b"%PDF-1.4\n% opening decree of the youth centre\ntrailer << >>\n%%EOF\n"


def pdf_text(data: bytes) -> tuple[str, list[str]]:
    """The text of a PDF without any white space, whole and page by page: text extraction
    splits words at kerning and lines at wraps, so the checks compare letters only."""
    pages = [squash(page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]
    return "".join(pages), pages


def squash(text: str) -> str:
    return "".join(text.split())


def _get(client: FlaskClient, url: str, mimetype: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.data[:300]
    assert response.mimetype == mimetype
    assert response.headers["Content-Disposition"].startswith("attachment")
    return bytes(response.data)


def _russian(client: FlaskClient) -> None:
    client.post("/language", data={"locale": "ru", "next": "/"})


# --- the results framework -------------------------------------------------------------------


@pytest.fixture
def framework(session: Any) -> Any:
    project = ProjectFactory(code="LF-1", title="Youth outreach in Osh")
    goal = ResultFactory(project=project, level=ResultLevel.GOAL, code="G",
                         statement="Communities in Osh resist recruitment")
    outcome = ResultFactory(project=project, level=ResultLevel.OUTCOME, code="1", parent=goal,
                            statement="Young people take part in local decisions",
                            toc_if="young people are heard by local councils",
                            toc_then="they engage in peaceful civic life",
                            toc_because="grievances find a legitimate channel")
    AssumptionFactory(result=outcome, text="Councils keep meeting in public",
                      status=AssumptionStatus.HOLDING)
    IndicatorFactory(project=project, result=outcome, code="1.a",
                     name="Young people who spoke at a council meeting",
                     baseline_value=Decimal(4), target_value=Decimal(60),
                     means_of_verification="Council minutes")
    RiskFactory(project=project, description="Elections suspend the councils",
                category=RiskCategory.CONTEXTUAL,
                likelihood=3, impact=4, mitigation="Meet in schools instead")
    session.commit()
    return project


def test_logframe_pdf_holds_results_indicators_theory_assumptions_and_risks(
        client: FlaskClient, login_as: Any, framework: Any) -> None:
    login_as(Role.MANAGER)
    text, _pages = pdf_text(_get(client, f"/projects/{framework.id}/logframe.pdf",
                                 "application/pdf"))
    for expected in ("Results framework: LF-1", "Communities in Osh resist recruitment",
                     "Young people who spoke at a council meeting", "Council minutes",
                     "Councils keep meeting in public", "young people are heard by local",
                     "grievances find a legitimate channel", "Elections suspend the councils",
                     "Meet in schools instead", "Page 1 of 1"):
        assert squash(expected) in text, expected
    _russian(client)
    text, _pages = pdf_text(client.get(f"/projects/{framework.id}/logframe.pdf").data)
    assert squash("Рамка результатов: LF-1") in text and squash("Логическая рамка") in text
    assert squash("Council minutes") in text  # what users wrote stays as written


def test_logframe_docx_is_a_four_column_table_with_a_repeating_header(
        client: FlaskClient, login_as: Any, framework: Any) -> None:
    login_as(Role.MANAGER)
    data = _get(client, f"/projects/{framework.id}/logframe.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    document = Document(io.BytesIO(data))
    table = document.tables[0]
    header = [cell.text for cell in table.rows[0].cells]
    assert header == ["Result", "Indicators (baseline → target)", "Means of verification",
                      "Assumptions"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    lines = {row.cells[0].text.split("\n")[0]: row for row in table.rows[1:]}
    outcome = next(row for text, row in lines.items() if text.startswith("Outcome 1"))
    assert "1.a Young people who spoke at a council meeting" in outcome.cells[1].text
    assert "Baseline: 4 → Target: 60" in outcome.cells[1].text
    assert "Council minutes" in outcome.cells[2].text
    assert "Councils keep meeting in public" in outcome.cells[3].text
    risks = document.tables[1]
    assert [c.text for c in risks.rows[1].cells] == [
        "Elections suspend the councils", "Contextual", "3", "4", "12",
        "Meet in schools instead"]
    _russian(client)
    document = Document(io.BytesIO(client.get(f"/projects/{framework.id}/logframe.docx").data))
    assert document.tables[0].rows[0].cells[0].text == "Результат"


# --- an event's dossier ----------------------------------------------------------------------


@pytest.fixture
def event(session: Any) -> Any:
    organiser = OrganisationFactory(name="Regional Youth Centre", acronym="RYC")
    event = EventFactory(title="Almaty workshop on youth resilience",
                         start_date=dt.date(2023, 3, 8), end_date=dt.date(2023, 3, 10),
                         source_document="Workshop report 2023",
                         source_passage="The participants agreed to open a youth centre.",
                         illustrative=False)
    EventOrganisationFactory(event=event, organisation=organiser, role=EventRole.ORGANISER)
    kept = RecommendationFactory(event=event, number="1", text="Open a youth centre in Almaty.")
    promised = RecommendationFactory(event=event, number="2",
                                     text="Train teachers in conflict-sensitive teaching.")
    verifier = UserFactory(role=Role.MANAGER, name="Vera Verifier")
    FollowUpActionFactory(recommendation=kept, description="The youth centre opened its doors.",
                          kind=ActionKind.INSTITUTION_CREATED, action_date=dt.date(2023, 6, 1),
                          verified_at=dt.datetime(2023, 7, 1, tzinfo=dt.UTC),
                          verified_by_id=verifier.id)
    FollowUpActionFactory(recommendation=promised, state=ActionState.PLANNED,
                          action_date=None, description="A training course is promised.")
    other = EventFactory(title="Dushanbe conference on teachers",
                         start_date=dt.date(2024, 5, 2), end_date=dt.date(2024, 5, 3))
    again = RecommendationFactory(event=other, text="Train teachers to handle radical talk.")
    RecommendationLinkFactory(first_id=promised.id, second_id=again.id,
                              state=LinkState.CONFIRMED)
    session.commit()
    return event


def _attach(client: FlaskClient, action_id: int, title: str, sensitive: bool) -> None:
    form = {"title": title, "kind": "report", "file": (io.BytesIO(PDF + title.encode()),
                                                       f"{title}.pdf")}
    if sensitive:
        form["sensitive"] = "y"
    response = client.post(f"/evidence/actions/{action_id}", data=form,
                           content_type="multipart/form-data")
    assert response.status_code == 303, response.data[:500]


def _attach_decree_and_list(client: FlaskClient, login_as: Any, event: Any) -> None:
    """As an administrator, attaches a plain file and a sensitive one to the first action."""
    login_as(Role.ADMIN)
    action = event.recommendations[0].actions[0]
    _attach(client, action.id, "Opening decree", sensitive=False)
    _attach(client, action.id, "Participants list", sensitive=True)


def test_the_dossier_tells_the_verdict_every_action_and_where_each_fact_comes_from(
        client: FlaskClient, login_as: Any, event: Any, session: Any) -> None:
    _attach_decree_and_list(client, login_as, event)
    url = f"/followup/events/{event.id}/dossier.pdf?as_of=2024-01-01"
    text, _pages = pdf_text(_get(client, url, "application/pdf"))
    flat = text
    for expected in (
            "Event dossier: Almaty workshop on youth resilience",
            "Followed up",  # one of the two recommendations due has a verified action
            "1 of the 2 recommendations due",
            "Regional Youth Centre",
            "The youth centre opened its doors.", "Institution created",
            "Done: counts as follow-up", "Verified by Vera Verifier on Jul 1, 2023",
            "A training course is promised.", "Promise", "Not verified",
            "Opening decree", "Participants list",  # an administrator sees sensitive files
            "Dushanbe conference on teachers", "Train teachers to handle radical talk.",
            "Workshop report 2023", "The participants agreed to open a youth centre.",
            "Figures as of January 1, 2024"):
        assert squash(expected) in flat, expected


def test_the_dossier_lists_sensitive_files_only_to_those_who_may_open_them(
        client: FlaskClient, login_as: Any, event: Any, auth: Any) -> None:
    _attach_decree_and_list(client, login_as, event)
    auth.logout()
    login_as(Role.MANAGER)
    text, _pages = pdf_text(client.get(f"/followup/events/{event.id}/dossier.pdf").data)
    flat = text
    assert squash("Opening decree") in flat and squash("Participants list") not in flat
    assert squash("1 sensitive file, listed to those who may open it") in flat


def test_a_long_dossier_repeats_table_headers_and_numbers_its_pages(
        client: FlaskClient, login_as: Any, event: Any, session: Any) -> None:
    recommendation = event.recommendations[0]
    for number in range(45):
        FollowUpActionFactory(recommendation=recommendation, action_date=dt.date(2023, 8, 1),
                              description=f"Follow-up meeting number {number} with partners.",
                              kind=ActionKind.MEETING_HELD)
    session.commit()
    login_as(Role.MANAGER)
    _text, pages = pdf_text(client.get(f"/followup/events/{event.id}/dossier.pdf").data)
    with_table = [page for page in pages if squash("Follow-up meeting number") in page]
    assert len(with_table) >= 2
    assert all(squash("What was done") in page for page in with_table)
    assert all(squash(f"Page {n} of {len(pages)}") in page
               for n, page in enumerate(pages, start=1))


def test_the_dossier_in_russian(client: FlaskClient, login_as: Any, event: Any) -> None:
    login_as(Role.OFFICER)
    _russian(client)
    text, _pages = pdf_text(client.get(f"/followup/events/{event.id}/dossier.pdf").data)
    flat = text
    assert squash("Досье мероприятия: Almaty workshop on youth resilience") in flat
    assert squash("Рекомендации и последующие действия") in flat
    assert squash("Стр. 1 из") in flat


# --- the follow-up and evaluation reports -----------------------------------------------------


def test_followup_report_pdf_has_totals_charts_and_every_event_filtered(
        client: FlaskClient, login_as: Any, event: Any, session: Any) -> None:
    EventFactory(title="Bishkek round table without follow-up", start_date=dt.date(2023, 1, 10),
                 end_date=dt.date(2023, 1, 11))
    silent = EventFactory(title="Tashkent seminar nobody followed",
                          start_date=dt.date(2023, 2, 1), end_date=dt.date(2023, 2, 2))
    RecommendationFactory(event=silent, text="Publish a national action plan.")
    session.commit()
    login_as(Role.MANAGER)
    text, _pages = pdf_text(_get(client, "/followup/report.pdf?as_of=2024-06-01",
                                 "application/pdf"))
    flat = text
    for expected in ("Follow-up report", "Almaty workshop on youth resilience",
                     "Tashkent seminar nobody followed", "Bishkek round table without follow-up",
                     "Where the talk shops are", "By organiser", "RYC"):
        assert squash(expected) in flat, expected
    text, _pages = pdf_text(client.get(
        "/followup/report.pdf?as_of=2024-06-01&status=talk_shop").data)
    flat = text
    assert squash("Tashkent seminar nobody followed") in flat
    assert squash("Almaty workshop on youth resilience") not in flat
    assert squash("Follow-up status: Talk shop") in flat


def test_evaluation_report_pdf_has_scores_and_justifications(
        client: FlaskClient, login_as: Any, session: Any) -> None:
    project = ProjectFactory(code="EV-PDF")
    period = ReportingPeriodFactory(project=project, frequency=Frequency.ANNUAL,
                                    start_date=dt.date(2023, 1, 1),
                                    end_date=dt.date(2023, 12, 31), due_date=dt.date(2024, 1, 31),
                                    state=PeriodState.APPROVED)
    indicator = IndicatorFactory(project=project, code="E.1", name="Mediators certified",
                                 frequency=Frequency.ANNUAL)
    DataValueFactory(indicator=indicator, period=period, value=Decimal(12))
    evaluator = UserFactory(role=Role.EVALUATOR, name="Erlan Evaluator")
    MemberFactory(user=evaluator, project=project, role=MemberRole.EVALUATOR)
    IndicatorScoreFactory(indicator=indicator, period=period, evaluator=evaluator,
                          state=ScoreState.FINAL,
                          justification="Certificates checked against the registry.")
    session.commit()
    login_as(Role.MANAGER)
    text, _pages = pdf_text(_get(client, f"/evaluation/projects/{project.id}/report.pdf",
                                 "application/pdf"))
    flat = text
    for expected in ("Evaluation report: EV-PDF", "Mediators certified", "Erlan Evaluator",
                     "Certificates checked against the registry.", "Agreement between"):
        assert squash(expected) in flat, expected


# --- the command line and the printer's reach -------------------------------------------------


def test_reports_commands_write_the_files_of_the_pages(app: Flask, framework: Any, event: Any,
                                                       tmp_path: Path, session: Any) -> None:
    period = ReportingPeriodFactory(project=framework, frequency=Frequency.QUARTERLY,
                                    state=PeriodState.APPROVED)
    indicator = session.scalar(sa.select(Indicator).where(Indicator.project_id == framework.id))
    indicator.frequency = Frequency.QUARTERLY
    DataValueFactory(indicator=indicator, period=period, value=Decimal(9))
    session.commit()
    runner = app.test_cli_runner()
    xlsx = tmp_path / "iptt.xlsx"
    result = runner.invoke(args=["reports", "iptt", "--project", "LF-1", "--format", "xlsx",
                                 "-o", str(xlsx)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(xlsx)["Totals"]
    row = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "1.a")
    assert row[6] == 9  # the actual to date, approved
    dossier = tmp_path / "dossier.pdf"
    result = runner.invoke(args=["reports", "dossier", "--event", str(event.id), "-o",
                                 str(dossier), "--lang", "ru", "--as-of", "2024-01-01"])
    assert result.exit_code == 0, result.output
    flat = pdf_text(dossier.read_bytes())[0]
    assert squash("Досье мероприятия") in flat
    assert squash("The youth centre opened its doors.") in flat
    word = tmp_path / "logframe.docx"
    result = runner.invoke(args=["reports", "logframe", "--project", "LF-1", "--format",
                                 "docx", "-o", str(word), "--by", "M&E unit"])
    assert result.exit_code == 0, result.output
    assert Document(str(word)).core_properties.author == "M&E unit"
    result = runner.invoke(args=["reports", "iptt", "--project", "NO-SUCH", "--format", "csv",
                                 "-o", str(tmp_path / "x.csv")])
    assert result.exit_code != 0 and "NO-SUCH" in result.output
    assert not (tmp_path / "x.csv").exists()


def test_the_printer_reads_only_the_apps_static_files(app: Flask) -> None:
    with app.test_request_context():
        fetcher = documents._fetcher()
        root = Path(app.static_folder or "")
        response = fetcher.fetch((root / "documents.css").resolve().as_uri())
        assert b"@font-face" in response.read()
        for url in ("http://127.0.0.1:9/secret", "file:///etc/passwd",
                    (root / ".." / "config.py").resolve().as_uri()):
            with pytest.raises(documents.FetchRefused):
                fetcher.fetch(url)


def test_a_link_a_user_typed_is_printed_not_fetched(client: FlaskClient, login_as: Any,
                                                    event: Any, session: Any,
                                                    monkeypatch: Any) -> None:
    event.report_url = "http://127.0.0.1:9/tracking-pixel.png"
    session.commit()
    fetched: list[str] = []
    original = documents._fetcher

    def spying() -> Any:
        inner = original()
        real = inner.fetch

        def fetch(url: str, headers: Any = None) -> Any:
            fetched.append(url)
            return real(url, headers)

        inner.fetch = fetch
        return inner

    monkeypatch.setattr(documents, "_fetcher", spying)
    login_as(Role.MANAGER)
    flat = pdf_text(client.get(f"/followup/events/{event.id}/dossier.pdf").data)[0]

    assert squash("http://127.0.0.1:9/tracking-pixel.png") in flat
    assert fetched and all(url.startswith("file://") for url in fetched)
