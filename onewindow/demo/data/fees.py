"""The demo city's fees: Weihai's seven fees of the 施工许可 stage, two service fees of the 工程建设许可
stage, and a Zaoyang-style policy set for industrial projects (waived, subsidised, halved at the lower bound),
with one policy that has ended (Jinan halved, then stopped, a service fee) and a small-and-micro exemption.

Rates, bounds and document numbers are plausible illustrations for the demo city 云川市, not a city's
published schedule. Amounts are strings so that they reach `Decimal` unrounded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

HOUSING, PERSONNEL, DEVELOPMENT = "9901-ZJ", "9901-RS", "9901-FG"
AIR_DEFENCE, INDUSTRY, ENVIRONMENT = "9901-RF", "9901-GXJ", "9901-STHJ"
NON_TAX_ACCOUNT = ("云川市财政局非税收入汇缴结算户", "3701 0000 1234 5678 901")


@dataclass(frozen=True)
class FeeItemSpec:
    code: str
    name: str
    kind: str  # administrative / fund / service
    department: str
    legal_basis: str
    formula_kind: str
    params: dict[str, Any]
    unit_label: str = ""
    account: tuple[str, str] = NON_TAX_ACCOUNT


@dataclass(frozen=True)
class FeePolicySpec:
    kind: str
    document_number: str
    title: str
    valid_from: dt.date
    valid_to: dt.date | None
    item_codes: tuple[str, ...]
    factor: str = "1"
    at_lower_bound: bool = False
    payer_class: str = ""
    project_category: str = ""


WEIHAI_FEES: tuple[FeeItemSpec, ...] = (
    FeeItemSpec(
        "SF-CSPT",
        "城市基础设施配套费",
        "fund",
        HOUSING,
        "《财政部关于城市基础设施配套费性质的批复》（财综函〔2002〕3号）；省城市基础设施配套费征收管理办法",
        "per_unit",
        {"base": "floor_area", "factor": "60"},
        "元/平方米建筑面积",
    ),
    FeeItemSpec(
        "SF-XQC",
        "新型墙体材料专项基金",
        "fund",
        HOUSING,
        "《新型墙体材料专项基金征收使用管理办法》（财综〔2007〕77号）",
        "per_unit",
        {"base": "floor_area", "factor": "8"},
        "元/平方米建筑面积",
    ),
    FeeItemSpec(
        "SF-YLBZ",
        "建设企业养老保障金",
        "administrative",
        HOUSING,
        "省建筑企业养老保障金管理办法",
        "rate",
        {"base": "contract_value", "factor": "0.02"},
        "合同价款的2%",
    ),
    FeeItemSpec(
        "SF-NMG",
        "农民工工资保障金",
        "administrative",
        PERSONNEL,
        "《保障农民工工资支付条例》（国务院令第724号）；省农民工工资保证金管理办法",
        "rate",
        {"base": "contract_value", "factor": "0.02", "upper": "1000000"},
        "合同价款的2%，最高100万元",
    ),
    FeeItemSpec(
        "SF-JGTJ",
        "价格调节基金",
        "fund",
        DEVELOPMENT,
        "《中华人民共和国价格法》第二十七条；省价格调节基金征收使用管理办法",
        "tiered",
        {
            "base": "contract_value",
            "tiers": [{"upto": "10000000", "rate": "0.001"}, {"upto": None, "rate": "0.0005"}],
            "upper": "50000",
        },
        "合同价款1000万元以内1‰，超过部分0.5‰，最高5万元",
    ),
    FeeItemSpec(
        "SF-RFYD",
        "防空地下室易地建设费",
        "administrative",
        AIR_DEFENCE,
        "《中华人民共和国人民防空法》第二十二条；《关于规范防空地下室易地建设收费的规定》（计价格〔2000〕474号）",
        "per_unit",
        {"base": "air_defence_area_unbuilt", "factor": "1500"},
        "元/平方米应建未建面积",
    ),
    FeeItemSpec(
        "SF-SZSN",
        "散装水泥专项基金",
        "fund",
        INDUSTRY,
        "《散装水泥专项资金征收和使用管理办法》（财综〔2002〕23号）",
        "per_unit",
        {"base": "floor_area", "factor": "1"},
        "元/平方米建筑面积",
    ),
)

SERVICE_FEES: tuple[FeeItemSpec, ...] = (
    FeeItemSpec(
        "SF-STSC",
        "施工图设计文件审查服务费",
        "service",
        HOUSING,
        "《建设工程施工图设计文件审查服务收费标准》（省价格主管部门）",
        "rate",
        {"base": "contract_value", "factor": "0.0012", "lower": "3000"},
        "合同价款的1.2‰，最低3000元",
    ),
    FeeItemSpec(
        "SF-HPFW",
        "建设项目环境影响评价技术服务费",
        "service",
        ENVIRONMENT,
        "《建设项目环境影响咨询收费标准》（计价格〔2002〕125号）",
        "rate",
        {"base": "contract_value", "factor": "0.0008", "lower": "5000", "upper": "200000"},
        "合同价款的0.8‰，最低5000元，最高20万元",
    ),
)

INDUSTRIAL = "industrial"
SMALL_MICRO = "small_micro"

POLICIES: tuple[FeePolicySpec, ...] = (
    FeePolicySpec(
        "waive",
        "云川政发〔2024〕12号",
        "关于工业项目建设涉企行政事业性收费“零收费”的实施意见",
        dt.date(2024, 1, 1),
        None,
        ("SF-XQC", "SF-SZSN"),
        project_category=INDUSTRIAL,
    ),
    FeePolicySpec(
        "subsidise",
        "云川财综〔2024〕3号",
        "关于工业项目城市基础设施配套费等由财政补贴的通知",
        dt.date(2024, 1, 1),
        None,
        ("SF-CSPT", "SF-RFYD"),
        project_category=INDUSTRIAL,
    ),
    FeePolicySpec(
        "reduce",
        "云川发改价格〔2024〕9号",
        "关于工业项目经营服务性收费按下限减半收取的通知",
        dt.date(2024, 1, 1),
        None,
        ("SF-STSC", "SF-HPFW"),
        factor="0.5",
        at_lower_bound=True,
        project_category=INDUSTRIAL,
    ),
    FeePolicySpec(
        "reduce",
        "云川发改价格〔2022〕4号",
        "关于价格调节基金减半征收的通知（已停止执行）",
        dt.date(2022, 1, 1),
        dt.date(2023, 12, 31),
        ("SF-JGTJ",),
        factor="0.5",
    ),
    FeePolicySpec(
        "exempt",
        "云川财税〔2024〕7号",
        "关于对小微企业免征价格调节基金的通知",
        dt.date(2024, 1, 1),
        None,
        ("SF-JGTJ",),
        payer_class=SMALL_MICRO,
    ),
)
