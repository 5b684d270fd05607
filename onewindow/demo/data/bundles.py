"""The two 一件事 bundles of the demo city.

"工业项目施工许可阶段联审联批" follows the national four-stage model of construction-project
approval (立项用地规划许可 → 工程建设许可 → 施工许可 → 竣工验收); 住房和城乡建设局 leads the joint
review in every stage. "企业开办一件事" is led by 市场监督管理局.
"""

from __future__ import annotations

from onewindow.demo.data.schema import BundleSpec, StageSpec

HOUSING = "9901-ZJ"
MARKET_REGULATION = "9901-SCJG"

INDUSTRIAL_PROJECT = BundleSpec(
    code="990100-YJS-001",
    name="工业项目施工许可阶段联审联批",
    stages=(
        StageSpec(
            "立项用地规划许可",
            HOUSING,
            (
                "990100-FG-002",  # 企业投资项目备案
                "990100-ZRZY-001",  # 建设项目用地预审与选址意见书核发
                "990100-ZRZY-002",  # 建设用地规划许可证核发
            ),
        ),
        StageSpec(
            "工程建设许可",
            HOUSING,
            (
                "990100-ZRZY-003",  # 建设工程规划许可证核发
                "990100-STHJ-002",  # 建设项目环境影响报告表审批
                "990100-SW-003",  # 生产建设项目水土保持方案审批
                "990100-RF-001",  # 应建防空地下室的民用建筑项目报建审批
            ),
        ),
        StageSpec(
            "施工许可",
            HOUSING,
            (
                "990100-ZJ-001",  # 特殊建设工程消防设计审查
                "990100-ZJ-002",  # 建筑工程施工许可证核发
                "990100-SW-001",  # 城镇污水排入排水管网许可(排水许可)
                "990100-CG-001",  # 挖掘城市道路审批
            ),
        ),
        StageSpec(
            "竣工验收",
            HOUSING,
            (
                "990100-ZJ-003",  # 特殊建设工程消防验收
                "990100-ZRZY-004",  # 建设工程规划条件核实
                "990100-ZJ-004",  # 建设工程竣工验收备案
            ),
        ),
    ),
)

BUSINESS_START = BundleSpec(
    code="990100-YJS-002",
    name="企业开办一件事",
    stages=(
        StageSpec(
            "企业开办",
            MARKET_REGULATION,
            (
                "990100-SCJG-001",  # 企业设立登记
                "990100-GA-001",  # 公章刻制备案
                "990100-SWJ-001",  # 涉税事项办理(发票领用)
                "990100-RS-001",  # 社会保险登记(单位参保登记)
                "990100-JRJ-001",  # 银行开户预约
            ),
        ),
    ),
)

BUNDLES: tuple[BundleSpec, ...] = (INDUSTRIAL_PROJECT, BUSINESS_START)
