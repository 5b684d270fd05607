import pytest

from onewindow.audit.models import Event
from onewindow.errors import DomainError, PermissionDenied
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Applicant, Membership, Organisation
from onewindow.orgs.services import applicant_register, membership_grant, membership_revoke, organisation_create
from onewindow.orgs.tests.factories import RegionFactory, UserFactory, staff, valid_credit_code, valid_resident_id

pytestmark = pytest.mark.django_db


def test_a_department_lies_under_its_region_in_the_tree():
    city = organisation_create(code="9901", name="云川市", level=Organisation.Level.CITY)
    bureau = organisation_create(code="9901-ZJ", name="住房和城乡建设局", level="department", parent=city)

    assert bureau.kind == Organisation.Kind.DEPARTMENT
    assert bureau.path == "/9901/9901-ZJ/"
    assert bureau.display_name == "云川市住房和城乡建设局"


def test_a_department_needs_a_region():
    with pytest.raises(DomainError) as error:
        organisation_create(code="X", name="无主局", level="department")
    assert error.value.code == "department_without_region"


def test_a_security_admin_grants_a_role_and_it_is_audited():
    region = RegionFactory()
    security = staff(Role.SECURITY_ADMIN, region)
    clerk = UserFactory()

    membership_grant(actor=security, user=clerk, organisation=region, role=Role.CLERK)

    assert Membership.objects.filter(user=clerk, role=Role.CLERK).exists()
    event = Event.objects.get(stream=f"user:{clerk.pk}:roles")
    assert event.action == "orgs.role_granted"
    assert event.actor_id == security.pk
    assert event.changes["role"] == [None, "clerk"]


def test_a_system_admin_cannot_grant_itself_roles():
    region = RegionFactory()
    system_admin = staff(Role.SYSTEM_ADMIN, region)

    with pytest.raises(PermissionDenied) as refused:
        membership_grant(actor=system_admin, user=system_admin, organisation=region, role=Role.AUDIT_ADMIN)

    assert refused.value.code == "role_grant_not_security_admin"
    assert not Membership.objects.filter(user=system_admin, role=Role.AUDIT_ADMIN).exists()
    assert not Event.objects.exists()


@pytest.mark.parametrize("role", [Role.CLERK, Role.REVIEWER, Role.SYSTEM_ADMIN])
def test_an_applicants_online_account_is_never_granted_a_staff_role(role):
    region = RegionFactory()
    security = staff(Role.SECURITY_ADMIN, region)
    citizen = UserFactory()
    applicant_register(kind=Applicant.Kind.PERSON, name="张三", id_number=valid_resident_id(), user=citizen)

    with pytest.raises(PermissionDenied) as refused:
        membership_grant(actor=security, user=citizen, organisation=region, role=role)

    assert refused.value.code == "role_grant_to_applicant"
    assert "申请人" in refused.value.message
    assert not Membership.objects.filter(user=citizen).exists()
    assert not Event.objects.filter(stream=f"user:{citizen.pk}:roles").exists()


def test_an_applicants_online_account_is_not_bootstrapped_as_security_admin():
    from onewindow.orgs.services import security_admin_bootstrap

    citizen = UserFactory()
    applicant_register(kind=Applicant.Kind.PERSON, name="张三", id_number=valid_resident_id(), user=citizen)

    with pytest.raises(PermissionDenied) as refused:
        security_admin_bootstrap(user=citizen, organisation=RegionFactory())

    assert refused.value.code == "role_grant_to_applicant"
    assert not Membership.objects.exists()


def test_an_audit_admin_cannot_also_become_system_admin():
    region = RegionFactory()
    security = staff(Role.SECURITY_ADMIN, region)
    auditor = staff(Role.AUDIT_ADMIN, region)

    with pytest.raises(PermissionDenied, match="三权分立"):
        membership_grant(actor=security, user=auditor, organisation=region, role=Role.SYSTEM_ADMIN)


def test_revoking_a_role_is_audited_and_never_self_service():
    region = RegionFactory()
    security = staff(Role.SECURITY_ADMIN, region)
    clerk = UserFactory()
    membership = membership_grant(actor=security, user=clerk, organisation=region, role=Role.CLERK)

    with pytest.raises(PermissionDenied):
        membership_revoke(actor=security, membership=Membership.objects.get(user=security))
    membership_revoke(actor=security, membership=membership)

    assert not Membership.objects.filter(user=clerk).exists()
    assert Event.objects.filter(stream=f"user:{clerk.pk}:roles", action="orgs.role_revoked").exists()


def test_registers_an_applicant_once_and_keeps_the_id_out_of_the_log():
    number = valid_resident_id()
    first = applicant_register(kind=Applicant.Kind.PERSON, name="张三", id_number=number.lower())
    again = applicant_register(kind=Applicant.Kind.PERSON, name="张三", id_number=number)

    assert first.pk == again.pk
    event = Event.objects.get(stream=f"applicant:{first.pk}")
    assert number not in str(event.changes)


def test_a_wrong_check_digit_names_the_field():
    body = valid_credit_code()[:-1]
    wrong = body + ("0" if valid_credit_code()[-1] != "0" else "1")

    with pytest.raises(DomainError) as error:
        applicant_register(kind=Applicant.Kind.ENTERPRISE, name="某公司", id_number=wrong)

    assert error.value.field == "id_number"
    assert error.value.code == "invalid_id_number"
    assert "统一社会信用代码" in error.value.message
    assert not Applicant.objects.exists()


def test_the_first_security_admin_is_bootstrapped_once():
    from onewindow.orgs.services import security_admin_bootstrap

    region = RegionFactory()
    first = UserFactory()
    security_admin_bootstrap(user=first, organisation=region)

    with pytest.raises(PermissionDenied) as refused:
        security_admin_bootstrap(user=UserFactory(), organisation=region)

    assert refused.value.code == "security_admin_exists"
    assert Event.objects.get(stream=f"user:{first.pk}:roles").action == "orgs.role_bootstrapped"
