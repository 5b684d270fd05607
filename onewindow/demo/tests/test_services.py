"""Loading the demo city through the platform's services: complete, idempotent, on the record."""

from __future__ import annotations

import io

import pytest
from django.apps import apps

from onewindow.audit.models import Event
from onewindow.demo import data
from onewindow.demo.queue_bookings import PEOPLE
from onewindow.demo.services import demo_load
from onewindow.demo.township_cases import TOWNSHIP_CASES
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Applicant, Hall, Membership, Organisation, User
from onewindow.orgs.selectors import organisations_visible_to, user_roles

pytestmark = pytest.mark.django_db


def stream_names(cases) -> list[str]:
    return [f"case:{pk}" for pk in cases.values_list("pk", flat=True)]


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_loads_the_city_tree_halls_and_windows(loaded_with_catalogue):
    city = Organisation.objects.get(code="9901")
    assert city.name == "云川市" and city.parent is None
    assert Organisation.objects.filter(parent=city, level__in=["district", "county"]).count() >= 10
    for district in Organisation.objects.filter(parent=city, kind="region"):
        assert district.children.filter(level__in=["township", "street"]).count() >= 2
    assert Organisation.objects.filter(parent=city, kind="department").count() >= 30
    housing = Organisation.objects.get(code="9901-ZJ")
    assert housing.display_name == "云川市住房和城乡建设局"
    assert housing.path == "/9901/9901-ZJ/"
    assert Hall.objects.count() == len(data.HALLS) + len(data.LOCAL_HALLS)
    city_hall = Hall.objects.get(region=city)
    assert city_hall.windows.filter(department__isnull=True).exists()
    assert city_hall.windows.filter(department=housing).exists()


def test_a_second_run_changes_nothing(loaded_with_catalogue):
    before = row_counts()
    events = Event.objects.count()
    out = io.StringIO()

    summary = demo_load(stdout=out)

    assert row_counts() == before
    assert Event.objects.count() == events
    assert not summary.changed_anything
    assert "未作改动" in out.getvalue()


def test_every_role_is_held_by_a_demo_user(loaded_with_catalogue):
    held = set(Membership.objects.values_list("role", flat=True))
    assert held == {role.value for role in Role}
    clerk = User.objects.get(username="clerk")
    assert user_roles(clerk) == {Role.CLERK}
    assert organisations_visible_to(clerk).filter(code="9901-ZJ").exists()
    reviewer = User.objects.get(username="reviewer_zj")
    assert set(organisations_visible_to(reviewer).values_list("code", flat=True)) == {"9901-ZJ"}


def test_roles_are_granted_by_the_security_admin_after_one_recorded_bootstrap(loaded_with_catalogue):
    security_admin = User.objects.get(username="secadmin")
    bootstrap = Event.objects.get(action="orgs.role_bootstrapped")
    assert bootstrap.stream == f"user:{security_admin.pk}:roles"
    assert bootstrap.changes["role"] == [None, "security_admin"]
    grants = Event.objects.filter(action="orgs.role_granted")
    assert grants.count() == len(data.STAFF) + len(data.LOCAL_STAFF) + len(data.KEY_PROJECT_STAFF) - 1
    assert set(grants.values_list("actor_id", flat=True)) == {security_admin.pk}


def test_only_the_three_administrators_may_use_the_admin_login(loaded_with_catalogue, client, demo_password):
    for username, allowed in [("sysadmin", True), ("secadmin", True), ("auditadmin", True), ("clerk", False)]:
        response = client.post("/admin/login/", {"username": username, "password": demo_password})
        assert (response.status_code == 302) is allowed, username
        client.logout()
    assert not User.objects.filter(is_superuser=True).exists()


def logs_in(client, username: str, password: str) -> bool:
    """Through the login page, as a person would (the login throttle counts requests, so Client.login,
    which authenticates without one, is refused)."""
    client.post("/accounts/login/", {"username": username, "password": password})
    return "_auth_user_id" in client.session


def test_demo_accounts_log_in_with_the_shared_password(loaded_with_catalogue, client, demo_password):
    usernames = [s.username for s in data.STAFF] + [p.username for p in data.PERSONS]
    for username in usernames:
        assert logs_in(client, username, demo_password), username
        client.logout()
    assert not logs_in(client, "clerk", "wrong-password")


def test_a_second_run_keeps_a_password_the_user_changed(loaded_with_catalogue, client):
    clerk = User.objects.get(username="clerk")
    clerk.set_password("my-own-secret-9")
    clerk.save()

    demo_load(stdout=io.StringIO())

    assert logs_in(client, "clerk", "my-own-secret-9")


def test_applicants_are_registered_with_valid_ids_and_online_accounts(loaded_with_catalogue):
    persons = Applicant.objects.filter(kind=Applicant.Kind.PERSON)
    enterprises = Applicant.objects.filter(kind=Applicant.Kind.ENTERPRISE)
    assert {p.name for p in data.PERSONS} <= set(persons.values_list("name", flat=True))  # and those of the halls
    assert enterprises.count() == len(data.ENTERPRISES)
    lin = User.objects.get(username="linxiaowen")
    assert set(lin.applicants.values_list("name", flat=True)) == {"林晓雯", "云川晓雯科技有限公司"}
    assert enterprises.get(name="云川晓雯科技有限公司").legal_representative == "林晓雯"
    registered = Event.objects.filter(action="orgs.applicant_registered")
    assert registered.count() == persons.count() + enterprises.count()  # each through the service, on the record
    assert not any("11010519880312" in str(event.changes) for event in registered)


def test_prints_what_was_created_and_the_demo_accounts_table(loaded_with_catalogue, demo_password):
    _, output = loaded_with_catalogue
    assert "新建：组织机构" in output
    assert f"密码均为 {demo_password}" in output
    assert "reviewer_zj" in output and "审核人员" in output and "云川市住房和城乡建设局" in output
    for spec in data.STAFF:
        assert spec.username in output


def test_the_real_catalogue_accepts_the_demo_workbook_once(loaded_with_catalogue):
    summary, _ = loaded_with_catalogue
    assert summary.catalogue_errors == []
    assert summary.catalogue_created == len(data.MATTERS) + len(data.LOCAL_MATTERS) + len(data.BUNDLES)

    again = demo_load(stdout=io.StringIO())

    assert (again.catalogue_created, again.catalogue_updated) == (0, 0)
    assert again.catalogue_unchanged == len(data.MATTERS) + len(data.LOCAL_MATTERS) + len(data.BUNDLES)


def test_the_demo_has_a_case_at_each_step_through_the_real_engine_once(loaded_with_catalogue):
    from onewindow.cases.models import Case

    summary, output = loaded_with_catalogue
    from_tickets = Case.objects.filter(submitted_by__username__in=["clerk_2", "clerk_3"])
    city_cases = Case.objects.exclude(region__level__in=["township", "street"]).exclude(pk__in=from_tickets)
    statuses = sorted(city_cases.values_list("status", flat=True))

    assert summary.cases_created == 5 + len(TOWNSHIP_CASES)
    assert statuses == ["completed", "correction", "in_review", "submitted", "submitted"]
    assert "演示办件" in output
    assert Event.objects.filter(action="cases.case_decide", stream__in=stream_names(city_cases)).count() == 1
    again = demo_load(stdout=io.StringIO())
    assert again.cases_created == 0
    assert Case.objects.count() == 5 + len(TOWNSHIP_CASES) + len(PEOPLE)


def test_served_tickets_of_the_past_weeks_became_cases_filed_at_the_window(loaded_with_catalogue):
    from onewindow.cases.models import Case
    from onewindow.tickets.models import Ticket

    linked = list(Ticket.objects.filter(case__isnull=False).select_related("case"))
    assert len(linked) == len(PEOPLE)
    for ticket in linked:
        assert ticket.status == "done" and ticket.source == "id_card"
        assert ticket.case.submitted_by_id == ticket.clerk_id
        assert ticket.case.applicant_id == ticket.applicant_id
    assert set(Case.objects.filter(pk__in=[t.case_id for t in linked]).values_list("status", flat=True)) == {
        "in_review"
    }
    assert Event.objects.filter(action="tickets.case_linked").count() == len(PEOPLE)


def test_a_later_application_takes_the_issued_licence_from_the_wallet(loaded_with_catalogue):
    from onewindow.cases.models import CaseMaterial
    from onewindow.certificates.models import Certificate

    licence = Certificate.objects.get(certificate_type__name="营业执照")
    reused = CaseMaterial.objects.exclude(reused_certificate="").get()
    assert (reused.name, reused.reused_certificate) == ("营业执照", licence.number)
    assert reused.case.applicant == licence.applicant and reused.case.status == "submitted"


def test_the_completed_case_carries_its_sealed_certificates_once(loaded_with_catalogue):
    from onewindow.certificates.models import Certificate, CertificateType
    from onewindow.demo.data.certificates import CERTIFICATE_TYPES

    summary, output = loaded_with_catalogue
    assert "证照类型：新建" in output
    assert summary.certificate_types_created == CertificateType.objects.count() == len(CERTIFICATE_TYPES)
    issued = Certificate.objects.filter(case__status="completed")
    # 企业开办: 企业设立登记 issues the 营业执照, 公章刻制备案 its 备案证明 (统一发证, one page).
    assert sorted(issued.values_list("certificate_type__name", flat=True)) == ["印章刻制备案证明", "营业执照"]
    assert set(issued.values_list("status", flat=True)) == {"valid"}
    assert all(c.pdf_sha256 for c in issued)
    again = demo_load(stdout=io.StringIO())
    assert again.certificate_types_created == 0 and Certificate.objects.count() == 2
