"""The agency pages as people use them: the window's form, the applicant's, the work list, and 免费代办
on a key project's page and on its cases' pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from stdnum.cn import uscc

from onewindow.agency.models import Authorisation
from onewindow.agency.tests.factories import authorisation, linked_project
from onewindow.cases.tests import factories as f
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Applicant
from onewindow.orgs.tests.factories import staff
from onewindow.projects.tests.factories import office_for

pytestmark = pytest.mark.django_db
STEM = "91990102MA1YC0012"


@pytest.fixture
def district() -> Any:
    return f.region()


def test_the_window_form_records_the_authorisation_and_registers_the_applicant(client: Any, district: Any) -> None:
    clerk, agent = f.clerk_for(district), staff(Role.AGENT, district)
    client.force_login(clerk)
    response = client.post(
        "/agency/authorisations/window/",
        {
            "applicant_kind": "enterprise",
            "applicant_name": "云川测试科技有限公司",
            "id_number": STEM + ("1" if uscc.calc_check_digit(STEM) != "1" else "2"),  # a wrong check digit
            "agent": agent.pk,
            "scope": ["submit", "supplement"],
            "valid_from": timezone.localdate().isoformat(),
            "valid_until": (timezone.localdate() + dt.timedelta(days=90)).isoformat(),
            "document": f.pdf_file("委托书.pdf"),
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "统一社会信用代码" in page and 'value="云川测试科技有限公司"' in page  # told beside the field, kept
    assert not Applicant.objects.exists() and not Authorisation.objects.exists()


def test_the_window_form_shows_every_problem_beside_its_field(client: Any, district: Any) -> None:
    client.force_login(f.clerk_for(district))
    applicant = f.applicant_with_user()
    response = client.post(
        "/agency/authorisations/window/",
        {"applicant_kind": "person", "applicant_name": applicant.name, "id_number": applicant.id_number},
    )
    assert response.status_code == 422
    page = response.content.decode()
    for message in ("请选择一名在岗的代办员", "请选择委托范围", "请填写委托的起始日期", "请上传申请人签章的授权委托书"):
        assert message in page
    assert not Authorisation.objects.exists()


def test_the_applicant_grants_online_and_lands_on_the_authorisation(client: Any, district: Any) -> None:
    applicant, agent = f.applicant_with_user(), staff(Role.AGENT, district, name="冯帮办")
    client.force_login(applicant.user)
    assert "冯帮办" in client.get("/agency/authorisations/grant/").content.decode()
    response = client.post(
        "/agency/authorisations/grant/",
        {
            "applicant": applicant.pk,
            "agent": agent.pk,
            "scope": ["submit"],
            "valid_from": timezone.localdate().isoformat(),
            "valid_until": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        },
    )
    granted = Authorisation.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/agency/authorisations/{granted.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "有效" in page and "提交申请" in page and "撤销委托" in page


def test_the_work_list_shows_the_status_the_due_date_and_what_waits_for_the_agent(client: Any, district: Any) -> None:
    applicant, agent = f.applicant_with_user(), staff(Role.AGENT, district)
    case = f.submitted_case(applicant=applicant, matter_version=f.published_matter(department=f.department(district)))
    authorisation(agent=agent, applicant=applicant)
    client.force_login(agent)
    page = client.get("/agency/").content.decode()
    assert case.number in page and "待受理" in page
    assert f"{case.intake_due_on:%Y-%m-%d}" in page
    assert applicant.id_number not in page


def test_a_key_projects_page_and_its_cases_pages_say_free_agency(client: Any, district: Any) -> None:
    case = f.accepted_case(matter_version=f.published_matter(department=f.department(district)))
    project = linked_project(case, district=district)
    office, agent = office_for(district), staff(Role.AGENT, district, name="贺文涛")
    client.force_login(office)
    assert "尚未指派代办员" in client.get(f"/projects/{project.pk}/").content.decode()

    response = client.post(f"/agency/projects/{project.pk}/agent/", {"agent": agent.pk})

    assert response.status_code == 302
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "免费代办" in page and "贺文涛" in page
    case_page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "免费代办" in case_page and "贺文涛" in case_page
    client.force_login(agent)  # the agent sees the project they serve, and its case
    assert client.get(f"/projects/{project.pk}/").status_code == 200
    assert "免费代办" in client.get(f"/cases/{case.pk}/").content.decode()


def test_a_project_assignment_without_an_agent_is_told_on_the_project_page(client: Any, district: Any) -> None:
    case = f.accepted_case(matter_version=f.published_matter(department=f.department(district)))
    project = linked_project(case, district=district)
    client.force_login(office_for(district))
    response = client.post(f"/agency/projects/{project.pk}/agent/", {"agent": ""}, follow=True)
    assert "请选择一名在岗的代办员" in response.content.decode()
    assert not Authorisation.objects.exists()
