"""Down to the street (纵到底): the townships and streets of 清河区 and 梅岭县 get a 便民服务中心 each,
with a comprehensive window and a social-affairs window (社会事务办); one community per district
keeps a 便民服务站. Their districts get the departments that decide what residents apply for at the
township (民政局, 公安分局 / 公安局, 医疗保障局), and every hall a clerk.

What a resident does at the township, and who decides it:

| matter | accepted at | decided by |
|---|---|---|
| 生育登记, 老年人优待证办理, 城乡居民基本养老保险参保登记 | the township | the township's 社会事务办 |
| 最低生活保障审核确认 (低保), 特困人员救助供养审核确认, 残疾人两项补贴 | the township | the district's 民政局 |
| 居住证申领 | the township | the district's public security (公安分局 / 县公安局) |
| 城乡居民基本医疗保险参保登记 | the township | the district's 医疗保障局 |
"""

from __future__ import annotations

from typing import Any

from onewindow.demo.data.regions import CITY_NAME, DISTRICTS
from onewindow.demo.data.schema import (
    Department,
    District,
    FieldSpec,
    HallSpec,
    MaterialSpec,
    MatterSpec,
    Place,
    StaffSpec,
    WindowSpec,
)

# The two districts taken down to the street: a district of streets and a county of townships.
LEVEL_DISTRICTS: tuple[District, ...] = tuple(d for d in DISTRICTS if d.code in ("990102", "990121"))

# One community (社区 / 村) per district with a 便民服务站: (its street or township, the community).
COMMUNITIES: tuple[tuple[str, Place], ...] = (
    ("990102001", Place("990102001001", "滨河社区", "community")),
    ("990121001", Place("990121001001", "梅岭村", "community")),
)

SOCIAL_AFFAIRS = "SHSW"


def _police(district: District) -> str:
    return "公安分局" if district.level == "district" else "公安局"


def _district_departments(district: District) -> tuple[Department, ...]:
    return (
        Department(f"{district.code}-MZ", "民政局", "民政局", district.code),
        Department(f"{district.code}-GA", _police(district), _police(district), district.code),
        Department(f"{district.code}-YB", "医疗保障局", "医保局", district.code),
    )


LEVEL_DEPARTMENTS: tuple[Department, ...] = tuple(
    department for district in LEVEL_DISTRICTS for department in _district_departments(district)
) + tuple(
    Department(f"{place.code}-{SOCIAL_AFFAIRS}", "社会事务办公室", "社会事务办", place.code)
    for district in LEVEL_DISTRICTS
    for place in district.places
)


def _township_hall(district: District, place: Place) -> HallSpec:
    return HallSpec(
        region=place.code,
        name=f"{district.name}{place.name}便民服务中心",
        address=f"{CITY_NAME}{district.name}{place.name}政府大院一楼",
        windows=(
            WindowSpec("1", "综合受理窗口"),
            WindowSpec("2", "社会事务窗口", f"{place.code}-{SOCIAL_AFFAIRS}"),
        ),
        opening_hours="工作日 8:30-12:00, 14:00-17:30",
    )


def _station(community: Place) -> HallSpec:
    return HallSpec(
        region=community.code,
        name=f"{community.name}便民服务站",
        address=f"{community.name}党群服务中心",
        windows=(WindowSpec("1", "代办窗口"),),
        opening_hours="工作日 9:00-11:30, 14:30-17:00",
    )


LOCAL_HALLS: tuple[HallSpec, ...] = tuple(
    _township_hall(district, place) for district in LEVEL_DISTRICTS for place in district.places
) + tuple(_station(community) for _street, community in COMMUNITIES)


def _phone(serial: int) -> str:
    return f"139000{20000 + serial:05d}"


def _local_staff() -> tuple[StaffSpec, ...]:
    """A clerk and a social-affairs reviewer per township/street, reviewers of the district departments,
    a clerk per 便民服务站, and 梅岭县's supervisor (清河区's is supervisor_qh)."""
    staff: list[StaffSpec] = []
    names = iter(NAMES)
    for district in LEVEL_DISTRICTS:
        for abbreviation in ("MZ", "GA", "YB"):
            code = f"{district.code}-{abbreviation}"
            staff.append(
                StaffSpec(f"reviewer_{district.code}_{abbreviation.lower()}", next(names), "reviewer", code, "")
            )
        for place in district.places:
            staff.append(StaffSpec(f"clerk_{place.code}", next(names), "clerk", place.code, ""))
            staff.append(
                StaffSpec(f"reviewer_{place.code}", next(names), "reviewer", f"{place.code}-{SOCIAL_AFFAIRS}", "")
            )
    for _parent, community in COMMUNITIES:
        staff.append(StaffSpec(f"clerk_{community.code}", next(names), "clerk", community.code, ""))
    staff.append(StaffSpec("supervisor_ml", next(names), "supervisor", "990121", ""))
    return tuple(StaffSpec(s.username, s.name, s.role, s.organisation, _phone(i)) for i, s in enumerate(staff))


NAMES = (
    "江海燕", "闵卫东", "蒋欣然", "范文杰", "沈秀兰", "陶立军", "邱雅婷", "钟明亮", "姜丽娟", "谢振宇",
    "孔令宏", "崔玉梅", "贺建平", "龚晓燕", "潘志强", "戴月华", "夏春雷", "汪晨曦", "田美玲", "方国庆",
    "石磊", "任秋菊", "袁立新", "严小琴",
)  # fmt: skip

LOCAL_STAFF: tuple[StaffSpec, ...] = _local_staff()

# --- what residents apply for at the township --------------------------------------------------

M = MaterialSpec
LOCAL_MATERIALS: dict[str, MaterialSpec] = {
    "assistance_application": M("社会救助申请书（申请人签字）", form="原件"),
    "family_finance_statement": M("家庭经济状况声明及核对授权书（共同生活家庭成员签字）", form="原件"),
    "disability_certificate": M("中华人民共和国残疾人证", certificate_type="残疾人证"),
    "id_photo": M("近期1寸白底免冠照片", form="原件"),
    "dwelling_proof": M("居住地住址证明（房屋租赁合同或不动产权证书）", deferrable=True),
    "employment_or_study_proof": M("合法稳定就业或连续就读证明"),
    "marriage_certificate": M("结婚证", certificate_type="结婚证"),
    "insurance_form": M("参保登记表", form="原件"),
}

F = FieldSpec
LOCAL_FIELDS: dict[str, FieldSpec] = {
    "family_size": F("共同生活家庭成员人数", "数字", minimum=1, maximum=20),
    "monthly_income": F("家庭月人均收入（元）", "数字", minimum=0, maximum=1000000),
    "dwelling_address": F("居住地址", maximum=200),
    "spouse_name": F("配偶姓名", maximum=50),
    "child_order": F("生育子女孩次", "选择", options=("一孩", "二孩", "三孩及以上")),
    "insured_category": F("参保人员类别", "选择", options=("城乡居民", "学生儿童", "新生儿", "灵活就业人员")),
    "contribution_grade": F("缴费档次（元/年）", "选择", options=("200", "500", "1000", "2000", "3000")),
    "disability_grade": F("残疾等级", "选择", options=("一级", "二级", "三级", "四级")),
}

PERSON = ("applicant_name", "id_number", "contact_phone")
TOWNSHIP_WINDOW = "所在镇（街道）便民服务中心综合受理窗口"
CONFIRMATION, BENEFIT, PUBLIC_SERVICE, OTHER_POWER = "行政确认", "行政给付", "公共服务", "其他行政权力"


def _spec(region: str, department: str, number: int, name: str, category: str, **values: Any) -> MatterSpec:
    return MatterSpec(
        code=f"{region}-{department}-{number:03d}",
        name=name,
        department=f"{region}-{department}",
        category=category,
        location=TOWNSHIP_WINDOW,
        **values,
    )


def _district_matters(district: str) -> tuple[MatterSpec, ...]:
    """Accepted and reviewed at the township, decided by the district department."""
    return (
        _spec(
            district, "MZ", 1, "最低生活保障审核确认", BENEFIT,
            legal_basis="《社会救助暂行办法》第十一条；《最低生活保障审核确认办法》第十九条、第二十二条",
            statutory_days=30, promised_days=20, online_level="网上受理", max_visits=1,
            conditions="共同生活的家庭成员人均收入低于当地最低生活保障标准，且财产状况符合当地规定；"
            "向户籍所在地乡镇人民政府（街道办事处）提出申请，乡镇（街道）受理、调查核实后提出审核意见，"
            "县级民政部门审核确认。",
            materials=("assistance_application", "applicant_id", "household_register", "family_finance_statement"),
            fields=(*PERSON, "family_size", "monthly_income"),
        ),
        _spec(
            district, "MZ", 2, "特困人员救助供养审核确认", BENEFIT,
            legal_basis="《社会救助暂行办法》第十四条至第十六条；《特困人员认定办法》第十六条至第十九条",
            statutory_days=20, promised_days=15, online_level="网上受理", max_visits=1,
            conditions="老年人、残疾人或未满16周岁的未成年人，无劳动能力、无生活来源，且无法定赡养、抚养、"
            "扶养义务人或者其法定义务人无履行义务能力。",
            materials=("assistance_application", "applicant_id", "household_register", "family_finance_statement"),
            fields=(*PERSON, "family_size"),
        ),
        _spec(
            district, "MZ", 3, "困难残疾人生活补贴和重度残疾人护理补贴", BENEFIT,
            legal_basis="《中华人民共和国残疾人保障法》第四十八条；"
            "《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》",
            statutory_days=20, promised_days=10, online_level="网上受理", max_visits=1,
            conditions="低保家庭中的残疾人（生活补贴）；残疾等级为一级、二级且需要长期照护的重度残疾人（护理补贴）。",
            materials=("assistance_application", "applicant_id", "disability_certificate"),
            fields=(*PERSON, "disability_grade"),
        ),
        _spec(
            district, "GA", 1, "居住证申领", CONFIRMATION,
            legal_basis="《居住证暂行条例》第二条、第九条、第十条",
            statutory_days=15, promised_days=10, online_level="网上受理", max_visits=1,
            conditions="离开常住户口所在地，到本市居住半年以上，符合有合法稳定就业、合法稳定住所、"
            "连续就读条件之一。",
            materials=("applicant_id", "id_photo", "dwelling_proof", "employment_or_study_proof"),
            fields=(*PERSON, "dwelling_address"),
        ),
        _spec(
            district, "YB", 1, "城乡居民基本医疗保险参保登记", PUBLIC_SERVICE,
            legal_basis="《中华人民共和国社会保险法》第二十五条；《社会保险经办条例》第十条",
            statutory_days=5, promised_days=0, online_level="全程网办", max_visits=0,
            conditions="不属于职工基本医疗保险应参保范围的城乡居民，在户籍地或居住证所在地参保。",
            materials=("applicant_id", "household_register", "insurance_form"),
            fields=(*PERSON, "insured_category"),
        ),
    )  # fmt: skip


def _township_matters(place: str) -> tuple[MatterSpec, ...]:
    """Decided at the township itself, by its social-affairs office."""
    return (
        _spec(
            place, SOCIAL_AFFAIRS, 1, "生育登记", PUBLIC_SERVICE,
            legal_basis="《中华人民共和国人口与计划生育法》第十九条、第二十九条",
            statutory_days=1, promised_days=0, online_level="全程网办", max_visits=0,
            conditions="夫妻双方（或一方）户籍在本镇（街道），或女方在本镇（街道）居住。",
            materials=("applicant_id", "marriage_certificate"),
            fields=(*PERSON, "spouse_name", "child_order"),
        ),
        _spec(
            place, SOCIAL_AFFAIRS, 2, "老年人优待证办理", OTHER_POWER,
            legal_basis="《中华人民共和国老年人权益保障法》第五十七条、第五十八条",
            statutory_days=5, promised_days=1, online_level="网上受理", max_visits=1,
            conditions="年满60周岁、户籍在本镇（街道）或持有本市居住证的老年人。",
            materials=("applicant_id", "id_photo"),
            fields=(*PERSON, "dwelling_address"),
        ),
        _spec(
            place, SOCIAL_AFFAIRS, 3, "城乡居民基本养老保险参保登记", PUBLIC_SERVICE,
            legal_basis="《中华人民共和国社会保险法》第二十条、第二十二条；"
            "《国务院关于建立统一的城乡居民基本养老保险制度的意见》",
            statutory_days=5, promised_days=0, online_level="全程网办", max_visits=0,
            conditions="年满16周岁（不含在校学生），非国家机关和事业单位工作人员及不属于职工基本养老保险制度覆盖范围的城乡居民。",
            materials=("applicant_id", "household_register", "insurance_form"),
            fields=(*PERSON, "contribution_grade"),
        ),
    )  # fmt: skip


LOCAL_MATTERS: tuple[MatterSpec, ...] = tuple(
    matter for district in LEVEL_DISTRICTS for matter in _district_matters(district.code)
) + tuple(
    matter for district in LEVEL_DISTRICTS for place in district.places for matter in _township_matters(place.code)
)
