"""The demo city meets the issue's numbers and its data is consistent (no database needed)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest
from stdnum.cn import ric, uscc

from onewindow.demo import data
from onewindow.demo.identifiers import credit_code, resident_id
from onewindow.orgs.domain import Role

CATEGORIES = {
    "行政许可",
    "行政确认",
    "行政给付",
    "行政征收",
    "行政裁决",
    "行政奖励",
    "行政检查",
    "其他行政权力",
    "公共服务",
}
ONLINE_LEVELS = {"全程网办", "网上受理", "窗口办理"}
MATTERS_BY_CODE = {m.code: m for m in data.MATTERS}
DEPARTMENT_CODES = {d.code for d in data.DEPARTMENTS}


def test_city_has_at_least_ten_districts_and_counties_each_with_townships_or_streets():
    assert len(data.DISTRICTS) >= 10
    assert {d.level for d in data.DISTRICTS} == {"district", "county"}
    for district in data.DISTRICTS:
        assert 2 <= len(district.places) <= 3, district.name
        for place in district.places:
            assert place.code.startswith(district.code)
            assert place.level == ("street" if place.name.endswith("街道") else "township")
            assert place.name.endswith(("街道", "镇", "乡"))


def test_every_region_code_carries_the_fictitious_prefix_and_every_code_is_unique():
    codes = [data.CITY_CODE]
    codes += [d.code for d in data.DISTRICTS] + [p.code for d in data.DISTRICTS for p in d.places]
    codes += [d.code for d in data.DEPARTMENTS]
    assert all(code.startswith("9901") for code in codes)
    assert len(codes) == len(set(codes))


def test_city_has_at_least_thirty_departments_and_some_district_departments():
    city_departments = [d for d in data.DEPARTMENTS if d.region == data.CITY_CODE]
    assert len(city_departments) >= 30
    names = {d.name for d in city_departments}
    assert {"市场监督管理局", "住房和城乡建设局", "自然资源和规划局", "消防救援支队", "税务局"} <= names
    district_codes = {d.code for d in data.DISTRICTS}
    assert any(d.region in district_codes for d in data.DEPARTMENTS)


def test_every_hall_has_numbered_windows_some_comprehensive_some_of_a_department():
    regions = {data.CITY_CODE} | {d.code for d in data.DISTRICTS}
    assert {hall.region for hall in data.HALLS} == regions
    for hall in data.HALLS:
        numbers = [w.number for w in hall.windows]
        assert all(n.isdigit() for n in numbers) and len(numbers) == len(set(numbers))
        assert any(w.department is None for w in hall.windows), hall.name
        assert all(w.department in DEPARTMENT_CODES for w in hall.windows if w.department)
    assert sum(1 for w in data.HALLS[0].windows if w.department) >= 5


def test_catalogue_has_at_least_sixty_matters_with_unique_codes_and_names():
    assert len(data.MATTERS) >= 60
    assert len(MATTERS_BY_CODE) == len(data.MATTERS)
    assert len({m.name for m in data.MATTERS}) == len(data.MATTERS)
    names = {m.name for m in data.MATTERS}
    assert {"企业设立登记", "建设工程规划许可证核发", "建筑工程施工许可证核发", "特殊建设工程消防设计审查"} <= names


@pytest.mark.parametrize("matter", data.MATTERS, ids=lambda m: m.code)
def test_every_matter_is_complete_and_within_the_rules(matter):
    assert re.fullmatch(r"990100-[A-Z]+-\d{3}", matter.code)
    assert matter.department in DEPARTMENT_CODES
    assert matter.category in CATEGORIES
    assert matter.online_level in ONLINE_LEVELS
    assert matter.max_visits in (0, 1, 2)
    assert 0 <= matter.promised_days <= matter.statutory_days
    assert matter.legal_basis.startswith("《")
    assert matter.conditions and matter.fee
    assert matter.materials and matter.fields
    assert set(matter.materials) <= set(data.MATERIALS)
    assert set(matter.fields) <= set(data.FIELDS)
    assert len(set(matter.materials)) == len(matter.materials)
    assert len(set(matter.fields)) == len(matter.fields)


def test_catalogue_mixes_categories_instant_matters_commitment_and_deferrable_materials():
    assert Counter(m.category for m in data.MATTERS).most_common(1)[0][0] == "行政许可"
    assert {"行政确认", "公共服务", "其他行政权力"} <= {m.category for m in data.MATTERS}
    assert any(m.promised_days == 0 for m in data.MATTERS)
    assert any(m.commitment for m in data.MATTERS)
    assert any(m.deferrable for m in data.MATERIALS.values())
    assert any(m.certificate_type for m in data.MATERIALS.values())


def test_shared_documents_and_fields_are_used_by_several_matters():
    material_uses = Counter(key for m in (*data.MATTERS, *data.LOCAL_MATTERS) for key in m.materials)
    field_uses = Counter(key for m in (*data.MATTERS, *data.LOCAL_MATTERS) for key in m.fields)
    assert material_uses["business_licence"] > 20
    assert material_uses["construction_planning_permit"] > 3
    assert field_uses["project_name"] > 10
    assert set(data.MATERIALS) == set(material_uses)
    assert set(data.FIELDS) == set(field_uses)


def test_industrial_project_bundle_has_fourteen_matters_across_departments_led_by_housing():
    bundle = next(b for b in data.BUNDLES if b.name == "工业项目施工许可阶段联审联批")
    assert len(bundle.matter_codes) == 14 == len(set(bundle.matter_codes))
    assert [s.name for s in bundle.stages] == ["立项用地规划许可", "工程建设许可", "施工许可", "竣工验收"]
    assert {s.lead_department for s in bundle.stages} == {"9901-ZJ"}
    departments = {MATTERS_BY_CODE[code].department for code in bundle.matter_codes}
    assert len(departments) >= 5
    names = {MATTERS_BY_CODE[code].name for code in bundle.matter_codes}
    assert {"建设工程规划许可证核发", "建筑工程施工许可证核发", "特殊建设工程消防设计审查"} <= names
    assert any("排水许可" in name for name in names)


def test_business_start_bundle_has_the_five_matters_led_by_market_regulation():
    bundle = next(b for b in data.BUNDLES if b.name == "企业开办一件事")
    names = [MATTERS_BY_CODE[code].name for code in bundle.matter_codes]
    assert names == [
        "企业设立登记",
        "公章刻制备案",
        "涉税事项办理（发票领用）",
        "社会保险登记（单位参保登记）",
        "银行开户预约",
    ]
    assert {s.lead_department for s in bundle.stages} == {"9901-SCJG"}
    assert MATTERS_BY_CODE[bundle.matter_codes[-1]].category == "公共服务"


def test_every_role_has_a_demo_user_at_a_known_organisation():
    organisations = {data.CITY_CODE} | {d.code for d in data.DISTRICTS} | DEPARTMENT_CODES
    assert {Role(s.role) for s in data.STAFF} == set(Role)
    assert all(s.organisation in organisations for s in data.STAFF)
    usernames = [s.username for s in data.STAFF] + [p.username for p in data.PERSONS]
    assert len(usernames) == len(set(usernames))
    assert {"clerk", "reviewer_zj", "lead_zj", "secadmin", "sysadmin", "auditadmin"} <= set(usernames)


def test_every_demo_person_has_a_resident_id_valid_by_stdnum_and_born_in_the_past():
    assert len(data.PERSONS) >= 3
    for person in data.PERSONS:
        number = resident_id(person.id_stem)
        assert ric.validate(number) == number
        assert ric.get_birth_date(number) < dt.date(2026, 1, 1)
        assert re.fullmatch(r"1[3-9]\d{9}", person.phone)


def test_every_demo_enterprise_has_a_valid_credit_code_and_a_known_representative():
    usernames = {p.username for p in data.PERSONS}
    for enterprise in data.ENTERPRISES:
        assert uscc.validate(credit_code(enterprise.code_stem))
        assert enterprise.legal_representative in usernames
        assert re.fullmatch(r"1[3-9]\d{9}", enterprise.phone)
