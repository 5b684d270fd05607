"""云川市: a fictitious city (code prefix 9901, not a real administrative code), its districts
and counties with their townships and streets, its departments and its service halls."""

from __future__ import annotations

from onewindow.demo.data.schema import Department, District, HallSpec, Place, WindowSpec

CITY_CODE = "9901"
CITY_NAME = "云川市"


def _places(district: str, *names: str) -> tuple[Place, ...]:
    """Townships and streets numbered 001, 002, ... under their district's code."""
    return tuple(
        Place(f"{district}{index:03d}", name, "street" if name.endswith("街道") else "township")
        for index, name in enumerate(names, start=1)
    )


DISTRICTS: tuple[District, ...] = (
    District("990102", "清河区", "district", _places("990102", "清河街道", "望江街道", "柳荫街道")),
    District("990103", "东湖区", "district", _places("990103", "东湖街道", "湖滨街道", "桂园街道")),
    District("990104", "西山区", "district", _places("990104", "西山街道", "枫林街道", "石门镇")),
    District("990105", "南城区", "district", _places("990105", "南门街道", "文昌街道")),
    District("990106", "北塘区", "district", _places("990106", "北塘街道", "荷塘街道", "新桥镇")),
    District("990107", "江北区", "district", _places("990107", "江北街道", "滨江街道", "渡口镇")),
    District("990108", "临江区", "district", _places("990108", "临江街道", "白沙镇")),
    District("990121", "梅岭县", "county", _places("990121", "梅岭镇", "竹溪镇", "云雾乡")),
    District("990122", "青石县", "county", _places("990122", "青石镇", "龙潭镇", "杉木乡")),
    District("990123", "白鹭县", "county", _places("990123", "白鹭镇", "鹭洲镇")),
    District("990124", "松溪县", "county", _places("990124", "松溪镇", "松源镇", "高山乡")),
)


def _city(abbreviation: str, name: str, short_name: str) -> Department:
    return Department(f"{CITY_CODE}-{abbreviation}", name, short_name, CITY_CODE)


CITY_DEPARTMENTS: tuple[Department, ...] = (
    _city("FG", "发展和改革委员会", "发改委"),
    _city("GXJ", "工业和信息化局", "工信局"),
    _city("JY", "教育局", "教育局"),
    _city("KJ", "科学技术局", "科技局"),
    _city("GA", "公安局", "公安局"),
    _city("MZ", "民政局", "民政局"),
    _city("SF", "司法局", "司法局"),
    _city("CZ", "财政局", "财政局"),
    _city("RS", "人力资源和社会保障局", "人社局"),
    _city("ZRZY", "自然资源和规划局", "自然资源规划局"),
    _city("STHJ", "生态环境局", "生态环境局"),
    _city("ZJ", "住房和城乡建设局", "住建局"),
    _city("JT", "交通运输局", "交通局"),
    _city("SW", "水务局", "水务局"),
    _city("NY", "农业农村局", "农业农村局"),
    _city("SHW", "商务局", "商务局"),
    _city("WGL", "文化广电旅游局", "文广旅局"),
    _city("WJ", "卫生健康委员会", "卫健委"),
    _city("YJ", "应急管理局", "应急局"),
    _city("SCJG", "市场监督管理局", "市场监管局"),
    _city("TJ", "统计局", "统计局"),
    _city("YB", "医疗保障局", "医保局"),
    _city("LY", "林业局", "林业局"),
    _city("CG", "城市管理局", "城管局"),
    _city("RF", "人民防空办公室", "人防办"),
    _city("WW", "文物局", "文物局"),
    _city("XZSP", "行政审批局", "行政审批局"),
    _city("SJ", "数据资源局", "数据局"),
    _city("ZWFW", "政务服务管理办公室", "政务办"),
    _city("ZDXM", "重点项目建设办公室", "重点项目办"),
    _city("JRJ", "地方金融管理局", "金融局"),
    _city("GJJ", "住房公积金管理中心", "公积金中心"),
    _city("BDC", "不动产登记中心", "不动产登记中心"),
    _city("QX", "气象局", "气象局"),
    _city("SWJ", "税务局", "税务局"),
    _city("XF", "消防救援支队", "消防支队"),
    _city("YC", "烟草专卖局", "烟草专卖局"),
)


def _local(region: str, abbreviation: str, name: str, short_name: str) -> Department:
    return Department(f"{region}-{abbreviation}", name, short_name, region)


DISTRICT_DEPARTMENTS: tuple[Department, ...] = (
    _local("990102", "SCJG", "市场监督管理局", "市场监管局"),
    _local("990102", "ZJ", "住房和城乡建设局", "住建局"),
    _local("990102", "XZSP", "行政审批局", "行政审批局"),
    _local("990103", "SCJG", "市场监督管理局", "市场监管局"),
    _local("990121", "SCJG", "市场监督管理局", "市场监管局"),
    _local("990121", "ZJ", "住房和城乡建设局", "住建局"),
)

DEPARTMENTS: tuple[Department, ...] = CITY_DEPARTMENTS + DISTRICT_DEPARTMENTS


def _department_windows(first: int, *abbreviations: str) -> tuple[WindowSpec, ...]:
    names = {d.code: d.short_name for d in CITY_DEPARTMENTS}
    return tuple(
        WindowSpec(str(number), f"{names[f'{CITY_CODE}-{abbr}']}窗口", f"{CITY_CODE}-{abbr}")
        for number, abbr in enumerate(abbreviations, start=first)
    )


CITY_HALL = HallSpec(
    region=CITY_CODE,
    name="云川市政务服务中心",
    address="云川市清河区市民大道88号",
    windows=(
        WindowSpec("1", "综合受理窗口（企业开办）"),
        WindowSpec("2", "综合受理窗口（工程建设项目）"),
        WindowSpec("3", "综合受理窗口（社会事务）"),
        WindowSpec("4", "综合受理窗口（通办）"),
        WindowSpec("5", "帮办代办窗口"),
        *_department_windows(11, "SCJG", "ZJ", "ZRZY", "STHJ", "SW", "XF", "GA", "SWJ", "RS", "BDC", "GJJ", "RF"),
        WindowSpec("30", "统一出件窗口"),
    ),
)


# District and county halls: address and the district departments that keep a window there.
_DISTRICT_HALLS: dict[str, tuple[str, tuple[str, ...]]] = {
    "990102": ("清河区望江路16号", ("SCJG", "ZJ", "XZSP")),
    "990103": ("东湖区湖滨大道201号", ("SCJG",)),
    "990104": ("西山区枫林路9号", ()),
    "990105": ("南城区文昌街52号", ()),
    "990106": ("北塘区荷塘路3号", ()),
    "990107": ("江北区滨江大道120号", ()),
    "990108": ("临江区白沙路77号", ()),
    "990121": ("梅岭县梅岭镇人民路1号", ("SCJG", "ZJ")),
    "990122": ("青石县青石镇府前街8号", ()),
    "990123": ("白鹭县白鹭镇鹭洲路15号", ()),
    "990124": ("松溪县松溪镇溪畔路6号", ()),
}


def _district_hall(district: District) -> HallSpec:
    address, abbreviations = _DISTRICT_HALLS[district.code]
    names = {d.code: d.short_name for d in DISTRICT_DEPARTMENTS}
    department_windows = [
        WindowSpec(str(number), f"{names[f'{district.code}-{abbr}']}窗口", f"{district.code}-{abbr}")
        for number, abbr in enumerate(abbreviations, start=3)
    ]
    windows = (
        WindowSpec("1", "综合受理窗口"),
        WindowSpec("2", "综合受理窗口"),
        *department_windows,
        WindowSpec("9", "统一出件窗口"),
    )
    return HallSpec(district.code, f"{CITY_NAME}{district.name}政务服务中心", address, windows)


HALLS: tuple[HallSpec, ...] = (CITY_HALL, *(_district_hall(d) for d in DISTRICTS))
