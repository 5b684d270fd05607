"""The agency service through its services: granting, revoking, an agent acting for the applicant
within (and outside) the authorisation's scope and period, the key project's free agency; each with
what the case's timeline and the audit log say."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from onewindow.agency.models import Authorisation
from onewindow.agency.selectors import represented_cases
from onewindow.agency.services import (
    authorisation_grant_online,
    authorisation_record_at_window,
    authorisation_revoke,
    project_agent_assign,
)
from onewindow.agency.tests.factories import authorisation, linked_project
from onewindow.audit.models import Event
from onewindow.cases.domain import CaseStatus, TaskStatus
from onewindow.cases.models import Case, TimelineEntry
from onewindow.cases.selectors import visible_cases
from onewindow.cases.services import intake, review
from onewindow.cases.tests import factories as f
from onewindow.errors import Conflict, InvalidFields, NotFound, PermissionDenied
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Applicant, Membership
from onewindow.orgs.tests.factories import staff
from onewindow.projects.tests.factories import office_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
YEAR = dt.timedelta(days=365)


def grant_events(a: Authorisation) -> list[dict[str, Any]]:
    rows = Event.objects.filter(stream=f"authorisation:{a.pk}").order_by("seq")
    return [{"action": e.action, "actor": e.actor_id, **e.changes} for e in rows]


def case_events(case: Case) -> list[Event]:
    return list(Event.objects.filter(stream=f"case:{case.pk}").order_by("seq"))


@pytest.fixture
def people() -> dict[str, Any]:
    district = f.region()
    applicant = f.applicant_with_user()
    return {
        "district": district,
        "applicant": applicant,
        "agent": staff(Role.AGENT, district, name="冯帮办"),
        "clerk": f.clerk_for(district),
        "version": f.published_matter(department=f.department(district)),
    }


def submit_as_agent(people: dict[str, Any], **kwargs: Any) -> Case:
    version = people["version"]
    return intake.case_submit(
        actor=people["agent"],
        applicant=people["applicant"],
        matter_version=version,
        form_data=f.form_values(),
        files=f.required_files(version),
        channel="online",
        **kwargs,
    )


# --- granting ---------------------------------------------------------------------------------------


def test_a_clerk_records_the_signed_authorisation_with_its_file_and_an_audit_event(people: dict[str, Any]) -> None:
    document = f.pdf_file("委托书.pdf")
    a = authorisation_record_at_window(
        actor=people["clerk"],
        applicant=people["applicant"],
        agent=people["agent"],
        scope=["submit", "withdraw"],
        valid_from=TODAY(),
        valid_until=TODAY() + YEAR,
        document=document,
    )
    a.refresh_from_db()
    assert (a.basis, a.scope, a.region, a.recorded_by) == (
        "window",
        ["submit", "withdraw"],
        people["district"],
        people["clerk"],
    )
    assert a.document_sha256 == hashlib.sha256(f.PDF_BYTES).hexdigest()
    assert a.document_size == len(f.PDF_BYTES)
    [event] = grant_events(a)
    assert event["action"] == "agency.authorisation_granted"
    assert (event["actor"], event["agent_id"], event["applicant_id"]) == (
        people["clerk"].pk,
        people["agent"].pk,
        people["applicant"].pk,
    )
    assert people["applicant"].id_number not in str(event)  # ids, never personal data in clear


def test_a_window_authorisation_tells_every_problem_at_once_and_writes_nothing(people: dict[str, Any]) -> None:
    with pytest.raises(InvalidFields) as refused:
        authorisation_record_at_window(
            actor=people["clerk"],
            applicant=people["applicant"],
            agent=f.reviewer_for(people["district"]),  # no agent role
            scope=[],
            valid_from=TODAY(),
            valid_until=TODAY() - dt.timedelta(days=1),
            document=SimpleUploadedFile("委托书.pdf", b"not a pdf", content_type="application/pdf"),
        )
    assert refused.value.code == "authorisation_invalid"
    assert set(refused.value.errors) == {"agent", "scope", "valid_until", "document"}
    assert "内容与扩展名" in refused.value.errors["document"]
    assert not Authorisation.objects.exists()
    assert not Event.objects.filter(action__startswith="agency.").exists()


def test_a_window_authorisation_needs_the_signed_document(people: dict[str, Any]) -> None:
    with pytest.raises(InvalidFields) as refused:
        authorisation_record_at_window(
            actor=people["clerk"],
            applicant=people["applicant"],
            agent=people["agent"],
            scope=["all"],
            valid_from=TODAY(),
            valid_until=TODAY() + YEAR,
            document=None,
        )
    assert set(refused.value.errors) == {"document"}


def test_only_a_clerk_records_at_the_window(people: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied) as refused:
        authorisation_record_at_window(
            actor=people["agent"],
            applicant=people["applicant"],
            agent=people["agent"],
            scope=["all"],
            valid_from=TODAY(),
            valid_until=TODAY() + YEAR,
            document=f.pdf_file(),
        )
    assert refused.value.code == "not_a_clerk"


def test_the_applicant_grants_online_for_their_own_applicant_only(people: dict[str, Any]) -> None:
    grant = {"agent": people["agent"], "scope": ["all"], "valid_from": TODAY(), "valid_until": TODAY() + YEAR}
    a = authorisation_grant_online(actor=people["applicant"].user, applicant=people["applicant"], **grant)
    assert (a.basis, a.region, a.document_sha256) == ("online", people["district"], "")
    assert len(a.scope) == 5
    with pytest.raises(PermissionDenied) as refused:
        authorisation_grant_online(actor=f.applicant_with_user().user, applicant=people["applicant"], **grant)
    assert refused.value.code == "not_applicant_user"
    assert Authorisation.objects.count() == 1


# --- revoking ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["applicant", "agent", "clerk"])
def test_the_applicant_the_agent_or_the_regions_clerk_revokes_and_the_agent_no_longer_sees_the_cases(
    people: dict[str, Any], who: str
) -> None:
    a = authorisation(agent=people["agent"], applicant=people["applicant"])
    case = f.submitted_case(applicant=people["applicant"], matter_version=people["version"])
    assert list(represented_cases(people["agent"])) == [case]
    actor = people["applicant"].user if who == "applicant" else people[who]

    authorisation_revoke(actor=actor, authorisation=a, reason="项目已转让")

    a.refresh_from_db()
    assert (a.revoked_on, a.revoked_by, a.revoke_reason) == (TODAY(), actor, "项目已转让")
    assert [e["action"] for e in grant_events(a)] == ["agency.authorisation_revoked"]
    assert not visible_cases(people["agent"]).exists()
    with pytest.raises(Conflict):
        authorisation_revoke(actor=actor, authorisation=a, reason="再次撤销")


def test_a_revocation_needs_a_reason_and_an_outsider_finds_no_authorisation(people: dict[str, Any]) -> None:
    a = authorisation(agent=people["agent"], applicant=people["applicant"])
    with pytest.raises(InvalidFields):
        authorisation_revoke(actor=people["applicant"].user, authorisation=a, reason=" ")
    for outsider in (f.applicant_with_user().user, f.clerk_for(f.region()), staff(Role.AGENT, f.region())):
        with pytest.raises(NotFound):
            authorisation_revoke(actor=outsider, authorisation=a, reason="撤销")
    a.refresh_from_db()
    assert a.revoked_at is None


# --- acting for the applicant -----------------------------------------------------------------------


def test_an_agent_submits_for_the_applicant_who_sees_the_case_named_with_the_agent(people: dict[str, Any]) -> None:
    a = authorisation(agent=people["agent"], applicant=people["applicant"], scope=["submit"])

    case = submit_as_agent(people)

    assert (case.status, case.applicant, case.submitted_by, case.agent) == (
        CaseStatus.SUBMITTED,
        people["applicant"],
        people["agent"],
        people["agent"],
    )
    [row] = case.timeline.all()
    assert row.actor == people["agent"] and row.is_public
    assert "代办员冯帮办受申请人委托代为提交申请" in row.note
    [event] = case_events(case)
    assert (event.action, event.actor_id) == ("cases.case_submit", people["agent"].pk)
    assert (event.changes["agent_id"], event.changes["authorisation_id"]) == (people["agent"].pk, a.pk)
    assert list(visible_cases(people["applicant"].user)) == [case]
    assert list(visible_cases(people["agent"])) == [case]


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"scope": ["correct", "withdraw"]}, "agency_out_of_scope"),
        ({"expired": True}, "agency_expired"),
        ({"revoked": True}, "agency_revoked"),
    ],
)
def test_a_submission_outside_the_scope_or_the_period_is_refused_and_writes_nothing(
    people: dict[str, Any], kwargs: dict[str, Any], code: str
) -> None:
    authorisation(agent=people["agent"], applicant=people["applicant"], **kwargs)
    with pytest.raises(PermissionDenied) as refused:
        submit_as_agent(people)
    assert refused.value.code == code
    assert not Case.objects.exists()
    assert not TimelineEntry.objects.exists()


def test_an_agent_without_any_authorisation_is_told_they_may_not_file_for_someone_else(people: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied) as refused:
        submit_as_agent(people)
    assert refused.value.code == "not_applicant_user"


def test_an_authorisation_not_yet_valid_allows_nothing_yet(people: dict[str, Any]) -> None:
    a = authorisation(agent=people["agent"], applicant=people["applicant"])
    Authorisation.objects.filter(pk=a.pk).update(valid_from=TODAY() + dt.timedelta(days=2))
    with pytest.raises(PermissionDenied) as refused:
        submit_as_agent(people)
    assert refused.value.code == "agency_not_yet_valid"


def test_an_agent_saves_a_draft_and_submits_it_the_applicants_own_draft_stays_theirs(people: dict[str, Any]) -> None:
    authorisation(agent=people["agent"], applicant=people["applicant"], scope=["submit"])
    draft = intake.case_save_draft(
        actor=people["agent"],
        applicant=people["applicant"],
        matter_version=people["version"],
        form_data={},
        channel="online",
    )
    assert draft.agent == people["agent"]
    case = submit_as_agent(people, draft=draft)
    assert (case.pk, case.status) == (draft.pk, CaseStatus.SUBMITTED)

    own = intake.case_save_draft(
        actor=people["applicant"].user,
        applicant=people["applicant"],
        matter_version=people["version"],
        form_data={},
        channel="online",
    )
    with pytest.raises(NotFound):
        submit_as_agent(people, draft=own)


def test_an_agent_corrects_and_withdraws_within_the_scope_and_the_case_records_them(people: dict[str, Any]) -> None:
    case = f.submitted_case(applicant=people["applicant"], matter_version=people["version"])
    authorisation(agent=people["agent"], applicant=people["applicant"], scope=["correct", "withdraw"])
    intake.case_request_correction(
        actor=people["clerk"], case=case, items=[{"target": "material:site_plan", "problem": "缺少签章"}]
    )

    intake.case_resubmit(
        actor=people["agent"], case=case, form_data={}, files={"site_plan": f.pdf_file("site_plan.pdf")}
    )
    intake.case_withdraw(actor=people["agent"], case=case, reason="申请人决定暂缓")

    case.refresh_from_db()
    assert (case.status, case.agent) == (CaseStatus.WITHDRAWN, people["agent"])
    notes = dict(case.timeline.values_list("action", "note"))
    assert "代办员冯帮办受申请人委托代为补正" in notes["case_resubmit"]
    assert "代办员冯帮办受申请人委托代为撤回申请" in notes["case_withdraw"]
    assert {e.action: e.changes.get("agent_id") for e in case_events(case)}["cases.case_withdraw"] == people["agent"].pk


def test_an_agent_who_sees_the_case_is_told_the_action_is_outside_the_scope(people: dict[str, Any]) -> None:
    case = f.submitted_case(applicant=people["applicant"], matter_version=people["version"])
    authorisation(agent=people["agent"], applicant=people["applicant"], scope=["submit", "correct"])
    with pytest.raises(PermissionDenied) as refused:
        intake.case_withdraw(actor=people["agent"], case=case, reason="不办了")
    assert refused.value.code == "agency_out_of_scope"
    assert "撤回申请" in refused.value.message
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_an_agent_whose_authorisation_expired_finds_the_case_missing(people: dict[str, Any]) -> None:
    case = f.submitted_case(applicant=people["applicant"], matter_version=people["version"])
    authorisation(agent=people["agent"], applicant=people["applicant"], expired=True)
    with pytest.raises(NotFound) as refused:
        intake.case_withdraw(actor=people["agent"], case=case, reason="不办了")
    assert refused.value.code == "case_not_found"


def test_an_agent_hands_in_the_supplementary_material_a_department_asked_for(people: dict[str, Any]) -> None:
    case = f.accepted_case(applicant=people["applicant"], matter_version=people["version"])
    task = case.tasks.get()
    review.task_request_supplement(actor=f.reviewer_for(task.department), task=task, items=["产权证明"])
    authorisation(agent=people["agent"], applicant=people["applicant"], scope=["supplement"])

    review.task_supplement_received(actor=people["agent"], task=task, files=[f.pdf_file("产权证明.pdf")])

    task.refresh_from_db()
    case.refresh_from_db()
    assert (task.status, case.agent) == (TaskStatus.OPEN, people["agent"])
    row = case.timeline.get(action="task_resume")
    assert row.actor == people["agent"] and "代办员冯帮办受申请人委托代为提交补充材料" in row.note
    assert case_events(case)[-1].changes["authorisation_id"] == Authorisation.objects.get().pk


def test_a_supplement_outside_the_scope_is_refused(people: dict[str, Any]) -> None:
    case = f.accepted_case(applicant=people["applicant"], matter_version=people["version"])
    task = case.tasks.get()
    review.task_request_supplement(actor=f.reviewer_for(task.department), task=task, items=["产权证明"])
    authorisation(agent=people["agent"], applicant=people["applicant"], scope=["submit"])
    with pytest.raises(PermissionDenied) as refused:
        review.task_supplement_received(actor=people["agent"], task=task)
    assert refused.value.code == "agency_out_of_scope"
    task.refresh_from_db()
    assert task.status == TaskStatus.SUSPENDED


def test_an_agent_whose_role_was_taken_away_acts_for_nobody(people: dict[str, Any]) -> None:
    authorisation(agent=people["agent"], applicant=people["applicant"])
    Membership.objects.filter(user=people["agent"]).update(role=Role.REVIEWER)
    people["agent"].refresh_from_db()
    with pytest.raises(PermissionDenied) as refused:
        submit_as_agent(people)
    assert refused.value.code == "not_applicant_user"


# --- a key project's agent --------------------------------------------------------------------------


@pytest.fixture
def key_project(people: dict[str, Any]) -> dict[str, Any]:
    """A key project in the district whose approval milestone links an open case of another applicant."""
    case = f.accepted_case(matter_version=people["version"])
    project = linked_project(case, district=people["district"])
    return {"project": project, "case": case, "office": office_for(people["district"])}


def test_the_office_assigns_the_projects_agent_who_represents_its_cases_free_of_charge(
    people: dict[str, Any], key_project: dict[str, Any]
) -> None:
    project, case, office = key_project["project"], key_project["case"], key_project["office"]

    a = project_agent_assign(actor=office, project=project, agent=people["agent"])

    assert (a.basis, a.project, a.is_free, a.valid_until, a.region) == (
        "key_project",
        project,
        True,
        None,
        people["district"],
    )
    assert (a.applicant.kind, a.applicant.id_number, a.applicant.name) == (
        Applicant.Kind.ENTERPRISE,
        project.owner_credit_code,
        project.owner_name,
    )
    case.refresh_from_db()
    assert (case.agent, case.is_green_channel) == (people["agent"], True)
    assert list(visible_cases(people["agent"])) == [case]  # linked to the project, though another applicant's
    project_events = Event.objects.filter(stream=f"project:{project.pk}").values_list("action", flat=True)
    assert list(project_events) == ["agency.project_agent_assigned"]
    # The same agent again changes nothing.
    assert project_agent_assign(actor=office, project=project, agent=people["agent"]) == a
    assert Authorisation.objects.count() == 1


def test_assigning_another_agent_revokes_the_first(people: dict[str, Any], key_project: dict[str, Any]) -> None:
    project, office = key_project["project"], key_project["office"]
    first = project_agent_assign(actor=office, project=project, agent=people["agent"])
    second_agent = staff(Role.AGENT, people["district"])

    second = project_agent_assign(actor=office, project=project, agent=second_agent)

    first.refresh_from_db()
    assert first.revoked_on == TODAY() and second.revoked_at is None
    assert not visible_cases(people["agent"]).exists()
    assert list(visible_cases(second_agent)) == [key_project["case"]]


def test_only_the_projects_office_assigns_its_agent(people: dict[str, Any], key_project: dict[str, Any]) -> None:
    for outsider in (people["clerk"], people["agent"], office_for(f.region())):
        with pytest.raises(PermissionDenied):
            project_agent_assign(actor=outsider, project=key_project["project"], agent=people["agent"])
    assert not Authorisation.objects.exists()
