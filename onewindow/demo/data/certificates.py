"""The demo city's certificate types (证照目录): which matters issue which electronic certificate, its
printed fields and where each value comes from (onewindow.certificates.domain.FieldSpec), its number
prefix and validity. Type codes follow GB/T 36902's shape (the defining body's code + a sequence)."""

from __future__ import annotations

from dataclasses import dataclass

from onewindow.demo.data.regions import CITY_CODE

DEFINER = "11990100MB0000000C"  # the city's data authority as the defining body (fictitious)


@dataclass(frozen=True)
class CertificateTypeSpec:
    number: int
    name: str
    prefix: str
    matters: tuple[str, ...]  # matter codes
    fields: tuple[tuple[str, str, str], ...]  # (key, label, source)
    validity_months: int = 0  # 0: 长期有效
    template: str = "licence"

    @property
    def code(self) -> str:
        return f"{DEFINER}{self.number:03d}"


def m(department: str, number: int) -> str:
    return f"{CITY_CODE}00-{department}-{number:03d}"


HOLDER = ("holder", "名称", "holder:name")
LEGAL_REP = ("legal_rep", "法定代表人", "holder:legal_representative")
PROJECT = (
    ("project_name", "项目名称", "form:project_name"),
    ("project_address", "建设位置", "form:project_address"),
    ("project_code", "项目代码", "form:project_code"),
)

CERTIFICATE_TYPES: tuple[CertificateTypeSpec, ...] = (
    CertificateTypeSpec(
        1,
        "营业执照",
        "YZ",
        (m("SCJG", 1),),
        (
            ("company_type", "类型", "form:company_type"),
            LEGAL_REP,
            ("registered_capital", "注册资本（万元）", "form:registered_capital"),
            ("registered_address", "住所", "form:registered_address"),
            ("business_scope", "经营范围", "form:business_scope"),
        ),
    ),
    CertificateTypeSpec(
        2,
        "印章刻制备案证明",
        "YB",
        (m("GA", 1),),
        (LEGAL_REP, ("case", "备案办件编号", "case:number")),
        template="certificate",
    ),
    CertificateTypeSpec(
        3, "食品经营许可证", "JY", (m("SCJG", 5),), (LEGAL_REP, ("scope", "许可事项", "matter:name")), 60
    ),
    CertificateTypeSpec(4, "建设项目用地预审与选址意见书", "YX", (m("ZRZY", 1),), PROJECT, 36, template="certificate"),
    CertificateTypeSpec(5, "建设用地规划许可证", "YD", (m("ZRZY", 2),), PROJECT),
    CertificateTypeSpec(6, "建设工程规划许可证", "JG", (m("ZRZY", 3),), PROJECT),
    CertificateTypeSpec(
        7,
        "建筑工程施工许可证",
        "SG",
        (m("ZJ", 2),),
        (*PROJECT, ("construction_unit", "建设单位", "form:construction_unit")),
    ),
    CertificateTypeSpec(8, "城镇污水排入排水管网许可证", "PS", (m("SW", 1),), (*PROJECT[:2], LEGAL_REP), 60),
    CertificateTypeSpec(9, "排污许可证", "PW", (m("STHJ", 3),), (LEGAL_REP, ("scope", "许可事项", "matter:name")), 60),
    CertificateTypeSpec(
        10, "道路运输经营许可证", "DY", (m("JT", 1),), (LEGAL_REP, ("scope", "经营范围", "matter:name")), 72
    ),
    CertificateTypeSpec(
        11, "公共场所卫生许可证", "WS", (m("WJ", 2),), (LEGAL_REP, ("scope", "许可项目", "matter:name")), 48
    ),
)
