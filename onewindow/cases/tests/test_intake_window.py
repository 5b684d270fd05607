"""窗口代为申报 (`case_submit_at_window`): the applicant registered and the case submitted together,
through the service, the API and the console page; and the valid files of a refused submission kept in
a draft (`case_keep_valid_files`)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from onewindow.audit.models import Event
from onewindow.cases.domain import CaseStatus
from onewindow.cases.models import Case
from onewindow.cases.services.intake import (
    WindowApplicant,
    case_keep_valid_files,
    case_save_draft,
    case_submit,
    case_submit_at_window,
)
from onewindow.cases.tests import factories as f
from onewindow.errors import InvalidFields, PermissionDenied
from onewindow.orgs.models import Applicant
from onewindow.orgs.tests.factories import valid_credit_code

pytestmark = pytest.mark.django_db

NAME = "滨江建设有限公司"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def at_window(**overrides: Any) -> WindowApplicant:
    return WindowApplicant(**{"kind": "enterprise", "name": NAME, "id_number": valid_credit_code(), **overrides})


def nothing_written() -> bool:
    return not Applicant.objects.filter(name=NAME).exists() and not Case.objects.exists() and not Event.objects.exists()


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- the service -----------------------------------------------------------------------------------


def test_a_clerk_registers_the_applicant_and_submits_at_the_window_with_both_on_the_record():
    version = f.published_matter()
    clerk = f.clerk_for(version.matter.department.parent)

    case = case_submit_at_window(
        actor=clerk,
        applicant=at_window(phone="0571-88888888"),
        matter_version=version,
        form_data=f.form_values(),
        files=f.required_files(version),
    )

    applicant = Applicant.objects.get(name=NAME)
    assert (case.applicant, case.channel, case.status, case.submitted_by) == (applicant, "window", "submitted", clerk)
    assert applicant.phone == "0571-88888888"
    recorded = Event.objects.filter(actor_id=clerk.pk).values_list("stream", "action")
    assert set(recorded) == {
        (f"applicant:{applicant.pk}", "orgs.applicant_registered"),
        (f"case:{case.pk}", "cases.case_submit"),
    }


def test_an_applicant_already_registered_is_found_by_the_credit_code_not_registered_again():
    version = f.published_matter()
    clerk = f.clerk_for(version.matter.department.parent)
    details = at_window()
    first = case_submit_at_window(
        actor=clerk, applicant=details, matter_version=version, form_data=f.form_values(), files={}
    )
    second = case_submit_at_window(
        actor=clerk, applicant=details, matter_version=version, form_data=f.form_values(), files={}
    )
    assert first.applicant == second.applicant
    assert Event.objects.filter(action="orgs.applicant_registered").count() == 1


@pytest.mark.parametrize(
    ("form_data", "files"),
    [
        pytest.param(f.form_values(floor_area="很大"), {}, id="invalid form"),
        pytest.param(f.form_values(), {"business_licence": f.pdf_file("licence.exe")}, id="file failing its check"),
        pytest.param(f.form_values(), {"no_such_material": f.pdf_file()}, id="material not asked for"),
    ],
)
def test_a_refused_window_submission_registers_nobody(form_data: dict[str, Any], files: dict[str, Any]):
    version = f.published_matter()
    clerk = f.clerk_for(version.matter.department.parent)
    with pytest.raises(InvalidFields):
        case_submit_at_window(
            actor=clerk, applicant=at_window(), matter_version=version, form_data=form_data, files=files
        )
    assert nothing_written()


def test_a_window_submission_by_someone_not_a_clerk_registers_nobody():
    version = f.published_matter()
    with pytest.raises(PermissionDenied):
        case_submit_at_window(
            actor=f.reviewer_for(version.matter.department),
            applicant=at_window(),
            matter_version=version,
            form_data=f.form_values(),
            files={},
        )
    assert nothing_written()


# --- through the API and the console page ----------------------------------------------------------


@pytest.mark.parametrize(
    ("form_data", "files"),
    [
        pytest.param(f.form_values(floor_area="很大"), {}, id="invalid form"),
        pytest.param(f.form_values(), {"business_licence": f.pdf_file("licence.exe")}, id="file failing its check"),
    ],
)
def test_a_refused_window_submission_through_the_api_registers_nobody(form_data: dict[str, Any], files: dict[str, Any]):
    version = f.published_matter()
    response = client_for(f.clerk_for(version.matter.department.parent)).post(
        "/api/cases/submissions",
        data={
            "channel": "window",
            "matter_version_id": version.pk,
            "applicant_kind": "enterprise",
            "applicant_name": NAME,
            "applicant_id_number": valid_credit_code(),
            "form_data": json.dumps(form_data, ensure_ascii=False),
            **files,
        },
    )
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid_application"
    assert nothing_written()


def test_a_window_submission_through_the_api_by_someone_not_a_clerk_registers_nobody():
    version = f.published_matter()
    response = client_for(f.reviewer_for(version.matter.department)).post(
        "/api/cases/submissions",
        data={
            "channel": "window",
            "matter_version_id": version.pk,
            "applicant_kind": "enterprise",
            "applicant_name": NAME,
            "applicant_id_number": valid_credit_code(),
            "form_data": json.dumps(f.form_values(), ensure_ascii=False),
        },
    )
    assert response.status_code == 403, response.content
    assert nothing_written()


def test_a_window_submission_on_the_console_page_with_a_bad_file_registers_nobody():
    version = f.published_matter()
    response = client_for(f.clerk_for(version.matter.department.parent)).post(
        "/cases/window/new/",
        {
            "matter": str(version.pk),
            "applicant_kind": "enterprise",
            "applicant_name": NAME,
            "id_number": valid_credit_code(),
            "field:project_name": "滨江科创园一期",
            "field:floor_area": "12000",
            "material:business_licence": f.pdf_file("licence.exe"),
        },
    )
    assert response.status_code == 422
    assert "文件类型不支持" in response.content.decode()
    assert nothing_written()


# --- the valid files of a refused submission, kept in a draft ---------------------------------------


def refused_online(version: Any, applicant: Applicant, files: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """The arguments of an online submission that `case_submit` refuses, with its refusal."""
    arguments = {
        "actor": applicant.user,
        "applicant": applicant,
        "matter_version": version,
        "form_data": f.form_values(floor_area=0),
        "files": files,
        "channel": "online",
        **extra,
    }
    with pytest.raises(InvalidFields) as refused:
        case_submit(**arguments)
    return {"refused": refused.value, **arguments}


def test_the_files_that_passed_their_checks_are_kept_in_a_new_draft_and_the_others_are_not():
    version = f.published_matter()
    applicant = f.applicant_with_user()
    files = {"business_licence": f.pdf_file("营业执照.pdf"), "site_plan": f.pdf_file("plan.exe")}

    draft = case_keep_valid_files(**refused_online(version, applicant, files))

    assert draft is not None and draft.status == CaseStatus.DRAFT and draft.applicant == applicant
    assert draft.form_data == f.form_values(floor_area=0)  # what was typed, as a draft may be incomplete
    stored = {m.key for m in draft.materials.all() if m.file}
    assert stored == {"business_licence"}
    assert Case.objects.get() == draft  # nothing submitted
    assert (
        Event.objects.filter(stream=f"case:{draft.pk}").values_list("action", flat=True).get()
        == "cases.case_draft_saved"
    )


def test_nothing_is_kept_when_no_file_passed_its_checks():
    version = f.published_matter()
    applicant = f.applicant_with_user()
    arguments = refused_online(version, applicant, {"business_licence": f.pdf_file("licence.exe")})
    assert case_keep_valid_files(**arguments) is None
    assert not Case.objects.exists() and not Event.objects.exists()


def test_a_draft_being_submitted_keeps_its_valid_files_in_that_draft():
    version = f.published_matter()
    applicant = f.applicant_with_user()
    draft = case_save_draft(
        actor=applicant.user, applicant=applicant, matter_version=version, form_data={}, channel="online"
    )
    arguments = refused_online(version, applicant, {"site_plan": f.pdf_file("plan.pdf")}, draft=draft)

    kept = case_keep_valid_files(**arguments)

    assert kept == draft and Case.objects.count() == 1
    assert draft.materials.get(key="site_plan").file


# --- the prefill from a queue ticket (onewindow/cases/prefill.py) -------------------------------------


def test_the_intake_opens_with_the_tickets_applicant_filled_in_and_a_forged_token_fills_nothing():
    from onewindow.cases.prefill import window_prefill_token

    version = f.published_matter()
    clerk = f.clerk_for(version.matter.department.parent)
    applicant = f.applicant_with_user()
    client = client_for(clerk)
    token = window_prefill_token(applicant_id=applicant.pk)

    page = client.get("/cases/window/new/", {"matter": version.pk, "prefill": token}).content.decode()
    assert f'value="{applicant.name}"' in page and f'value="{applicant.id_number}"' in page

    walk_in = window_prefill_token(id_number="110105198001011234")
    page = client.get("/cases/window/new/", {"matter": version.pk, "prefill": walk_in}).content.decode()
    assert 'value="110105198001011234"' in page

    forged = client.get("/cases/window/new/", {"matter": version.pk, "prefill": token + "x"}).content.decode()
    assert applicant.id_number not in forged
