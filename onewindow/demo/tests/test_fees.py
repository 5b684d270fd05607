"""The demo's fees: Weihai's seven on the industrial bundle's 施工许可 stage, the policy set, loaded once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from onewindow.demo.fees import fees_demo_load
from onewindow.fees import selectors
from onewindow.fees.domain import FeeInput, Payer
from onewindow.fees.models import FeePolicy


def test_the_construction_stage_carries_the_seven_weihai_fees_once(loaded_with_catalogue):
    summary, _out = loaded_with_catalogue
    assert summary.key_projects["收费项目与政策"] == 9 + 5
    stage = next(s for s in selectors.stages_with_fees() if s.name == "施工许可")
    items = list(selectors.fee_items_of_stage(stage))
    assert {item.name for item in items} == {
        "城市基础设施配套费",
        "建设企业养老保障金",
        "价格调节基金",
        "农民工工资保障金",
        "防空地下室易地建设费",
        "散装水泥专项基金",
        "新型墙体材料专项基金",
    }
    assert len({item.department_id for item in items}) == 5
    assert FeePolicy.objects.count() == 5
    inputs = {FeeInput.FLOOR_AREA: Decimal(10000), FeeInput.AIR_DEFENCE_AREA_UNBUILT: Decimal(500)}
    inputs[FeeInput.CONTRACT_VALUE] = Decimal(30000000)
    result = selectors.fee_estimate(
        items=items, inputs=inputs, payer=Payer(project_category="industrial"), on=dt.date(2026, 6, 1)
    )
    assert result.subsidised_total == Decimal("1350000.00")  # 配套费 600,000 + 易地建设费 750,000
    assert fees_demo_load() == 0
