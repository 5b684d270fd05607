"""The certificates' pure rules: no database."""

from __future__ import annotations

import datetime as dt

import pytest
from stdnum.iso7064 import mod_37_36

from onewindow.certificates.domain import (
    CertificateRefused,
    CertificateStatus,
    FieldSpec,
    Standing,
    canonical_json,
    check_character,
    check_lifecycle,
    fill_fields,
    identifier_is_well_formed,
    licence_identifier,
    mask_holder,
    standing,
    validity_end,
)


def test_a_validity_period_ends_the_day_before_its_anniversary():
    assert validity_end(dt.date(2026, 3, 15), 24) == dt.date(2028, 3, 14)
    assert validity_end(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 27)  # no 31 February
    assert validity_end(dt.date(2026, 3, 15), 0) is None  # 长期有效


def test_a_valid_certificate_expires_after_its_last_day():
    last = dt.date(2026, 5, 1)
    assert standing(CertificateStatus.VALID, last, last) == Standing.VALID
    assert standing(CertificateStatus.VALID, last, last + dt.timedelta(days=1)) == Standing.EXPIRED
    assert standing(CertificateStatus.REVOKED, None, last) == Standing.REVOKED
    assert standing(CertificateStatus.SUPERSEDED, last, last) == Standing.SUPERSEDED


def test_only_the_current_version_can_be_altered_renewed_or_revoked():
    check_lifecycle(CertificateStatus.VALID, "alter")
    check_lifecycle(CertificateStatus.PENDING, "revoke")
    for status in (CertificateStatus.SUPERSEDED, CertificateStatus.RENEWED, CertificateStatus.REVOKED):
        with pytest.raises(CertificateRefused):
            check_lifecycle(status, "alter")
    with pytest.raises(CertificateRefused) as refused:
        check_lifecycle(CertificateStatus.VALID, "issue")
    assert refused.value.code == "certificate_already_issued"


def test_the_identifier_carries_the_gbt_36904_parts_and_a_check_character():
    identifier = licence_identifier("11330100MB0000000X001", "330106-scj", "JG3301062026000001", 2)
    assert identifier.startswith("1.2.156.3005.2.11330100MB0000000X001.330106-scj.JG3301062026000001.002.")
    assert identifier_is_well_formed(identifier)
    tampered = identifier.replace("000001", "000002")
    assert not identifier_is_well_formed(tampered)


@pytest.mark.parametrize("value", ["A12425GH", "JG3301062026000001", "Z9", "0"])
def test_the_check_character_is_iso_7064_mod_37_36(value):
    assert check_character(value) == mod_37_36.calc_check_digit(value)  # GB/T 17710, as python-stdnum computes it


def test_fields_are_filled_from_their_sources_and_missing_ones_are_blank():
    specs = [
        FieldSpec("name", "名称", "form:project_name"),
        FieldSpec("holder", "持证主体", "holder:name"),
        FieldSpec("kind", "类别", "const:新建"),
        FieldSpec("missing", "缺少", "form:nothing"),
    ]
    values = fill_fields(specs, {"form": {"project_name": "滨江一期"}, "holder": {"name": "张三"}})
    assert values == {"name": "滨江一期", "holder": "张三", "kind": "新建", "missing": ""}


def test_the_canonical_json_does_not_depend_on_key_order():
    assert canonical_json({"b": 1, "a": "证"}) == canonical_json({"a": "证", "b": 1}) == '{"a":"证","b":1}'.encode()


def test_holders_are_masked_on_public_pages():
    assert mask_holder("张三") == "张*"
    assert mask_holder("张三丰") == "张*丰"
    assert mask_holder("杭州滨江科技有限公司") == "杭州****有限公司"
