import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from onewindow.orgs import domain
from onewindow.orgs.domain import Role

TODAY = dt.date(2026, 11, 22)


def test_accepts_a_resident_id_with_a_valid_check_digit():
    assert domain.clean_resident_id("11010519491231002x", today=TODAY) == "11010519491231002X"


def test_names_the_check_digit_when_it_is_wrong():
    with pytest.raises(domain.InvalidIdentifier, match="校验位错误"):
        domain.clean_resident_id("110105194912310021", today=TODAY)


def test_refuses_a_birth_date_in_the_future():
    body = "11010520300101123"
    with pytest.raises(domain.InvalidIdentifier, match="不能晚于今天"):
        domain.clean_resident_id(body + ric.calc_check_digit(body + "0"), today=TODAY)


@pytest.mark.parametrize("value", ["", "1101051949123100", "11010519491331002X", "ABCDEFGHIJKLMNOPQR"])
def test_refuses_malformed_resident_ids_with_a_chinese_message(value):
    with pytest.raises(domain.InvalidIdentifier) as raised:
        domain.clean_resident_id(value, today=TODAY)
    assert "居民身份证号码" in str(raised.value)


def test_accepts_a_credit_code_and_refuses_a_wrong_check_digit():
    assert domain.clean_credit_code("91110000600037341L") == "91110000600037341L"
    with pytest.raises(domain.InvalidIdentifier, match="统一社会信用代码校验位错误"):
        domain.clean_credit_code("91110000600037341M")


@given(st.from_regex(r"[1-9][0-9]{16}", fullmatch=True))
def test_every_computed_credit_code_check_digit_is_accepted(body):
    code = body + uscc.calc_check_digit(body)
    assert domain.clean_credit_code(code) == code


def test_masks_id_numbers_and_phones():
    assert domain.mask_id_number("11010519491231002X") == "110105********002X"
    assert domain.mask_phone("13812345678") == "138****5678"
    assert domain.mask_name("张三丰") == "张**"


def test_only_case_handling_roles_see_personal_data():
    assert domain.can_see_personal_data({Role.CLERK})
    assert not domain.can_see_personal_data({Role.SUPERVISOR, Role.LEADER, Role.SYSTEM_ADMIN})


def grant(**overrides):
    """check_role_grant for a security admin granting a clerk role to a staff account, with `overrides`."""
    arguments = {
        "actor_roles": {Role.SECURITY_ADMIN},
        "actor_is_grantee": False,
        "grantee_roles": set(),
        "role": Role.CLERK,
        "grantee_is_applicant": False,
    }
    domain.check_role_grant(**(arguments | overrides))


def test_only_a_security_admin_grants_roles():
    with pytest.raises(domain.RoleGrantRefused) as refused:
        grant(actor_roles={Role.SYSTEM_ADMIN})
    assert refused.value.code == "role_grant_not_security_admin"


def test_no_one_grants_themselves_a_role():
    with pytest.raises(domain.RoleGrantRefused) as refused:
        grant(actor_is_grantee=True, role=Role.AUDIT_ADMIN)
    assert refused.value.code == "role_grant_to_self"


@pytest.mark.parametrize("role", sorted(Role))
def test_an_applicants_online_account_gets_no_staff_role(role):
    with pytest.raises(domain.RoleGrantRefused) as refused:
        grant(grantee_is_applicant=True, role=role)
    assert refused.value.code == "role_grant_to_applicant"
    assert "申请人" in refused.value.message


@pytest.mark.parametrize("held", sorted(domain.SEPARATED_ADMIN_ROLES))
@pytest.mark.parametrize("wanted", sorted(domain.SEPARATED_ADMIN_ROLES))
def test_the_three_admin_roles_never_meet_in_one_person(held, wanted):
    if held == wanted:
        grant(grantee_roles={held}, role=wanted)
        return
    with pytest.raises(domain.RoleGrantRefused, match="三权分立"):
        grant(grantee_roles={held}, role=wanted)


def test_path_and_ancestors_lists_the_organisations_above_top_first():
    from onewindow.orgs.domain import path_and_ancestors

    assert path_and_ancestors("/3301/330102/33010201/") == ["/3301/", "/3301/330102/", "/3301/330102/33010201/"]
    assert path_and_ancestors("/3301/") == ["/3301/"]
    assert path_and_ancestors("") == []
