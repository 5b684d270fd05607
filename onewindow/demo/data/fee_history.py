"""A year of one-bill fees (一单收费) on industrial projects, for the policy-savings report: plain data.

One construction project a month, over the twelve months before the demo is loaded, reach the 施工许可
stage of the industrial-project bundle. Each is filed at a window of the city or of a district, by an
enterprise of its own (medium-sized or small and micro, several industries), pays its one bill and goes on.
The policies in force on each project's day decide its lines (the Zaoyang-style set: waived, subsidised,
halved at the lower bound, small and micro enterprises exempted), so the savings page has a year of months.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FeeProject:
    months_ago: int  # 1 (last month) … 12
    day: int  # the day of that month it was filed (moved to the next working day)
    enterprise: str
    credit_stem: str  # the unified social credit code without its check digit (17 characters)
    scale: str  # the form's 企业规模: 中型企业 or 小微企业 (exempt from some fees)
    industry: str  # the form's 所属行业
    window: str  # the clerk who filed it: their region is the case's (市本级, 清河区, 梅岭县)
    project: str
    building_area: int  # 总建筑面积（平方米）
    contract_wan: int  # 施工合同价款（万元）
    air_defence_unbuilt: int  # 应建未建防空地下室面积（平方米）


# months ago|day|enterprise|credit code stem|企业规模|所属行业|window|project|m²|万元|m² of air defence not built
_TABLE = """
12|6|云川恒远精密机械有限公司|91990102MA1YD0101|中型企业|制造业|clerk|精密零部件生产车间|18000|5200|420
11|22|云川星辰电子科技有限公司|91990104MA1YD0431|中型企业|软件和信息技术服务业|clerk|电子元器件研发楼|22000|7800|600
10|10|云川宏达建材有限公司|91990105MA1YD0541|中型企业|制造业|clerk_qh|新型墙材生产线|15000|4100|300
9|5|云川瑞丰物流有限公司|91990106MA1YD0761|中型企业|其他|clerk|智能仓储中心|26000|6900|800
8|21|梅岭青禾农业科技有限公司|91990121MA1YD1091|小微企业|其他|clerk_ml|农产品冷链车间|7200|1800|150
7|9|云川锦程纺织有限公司|91990102MA1YD1101|中型企业|制造业|clerk_qh|纺织车间|19000|4600|450
6|4|云川中和化工新材料有限公司|91990104MA1YD1321|中型企业|制造业|clerk|新材料中试车间|24000|8100|700
5|22|云川匠心木业有限公司|91990106MA1YD1651|小微企业|制造业|clerk|木制品车间|6600|1400|100
4|10|云川海川医疗器械有限公司|91990107MA1YD1761|中型企业|制造业|clerk|医疗器械洁净厂房|17000|6800|380
3|6|云川鼎盛钢构有限公司|91990108MA1YD1981|中型企业|建筑业|clerk_qh|钢结构加工车间|28000|7300|850
2|21|梅岭石韵石材有限公司|91990121MA1YD2211|小微企业|制造业|clerk_ml|石材加工车间|6100|1200|80
1|9|云川北辰新能源有限公司|91990104MA1YD2321|中型企业|制造业|clerk_qh|储能电池车间|32000|11000|980
"""


def _project(row: str) -> FeeProject:
    cells = [cell.strip() for cell in row.split("|")]
    months_ago, day, area, contract, unbuilt = (int(cells[i]) for i in (0, 1, 8, 9, 10))
    enterprise, stem, scale, industry, window, project = cells[2:8]
    return FeeProject(months_ago, day, enterprise, stem, scale, industry, window, project, area, contract, unbuilt)


PROJECTS: tuple[FeeProject, ...] = tuple(_project(row) for row in _TABLE.strip().splitlines())
