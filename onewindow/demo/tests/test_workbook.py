"""The demo workbook follows the catalogue layout administrators import."""

from __future__ import annotations

import io
from collections import defaultdict

from openpyxl import load_workbook

from onewindow.demo import data
from onewindow.demo.workbook import catalogue_workbook

HEADERS = {
    "事项": [
        "事项编码", "事项名称", "实施部门编码", "事项类型", "设定依据", "法定时限", "承诺时限",
        "网办深度", "最多跑动次数", "告知承诺", "收费", "受理条件", "办理地点",
    ],
    "材料": ["事项编码", "材料编码", "材料名称", "必要性", "材料形式", "可容缺", "电子证照类型", "份数"],
    "表单": ["事项编码", "字段编码", "字段名称", "类型", "必填", "格式", "最小值", "最大值", "选项"],
    "一件事": ["主题编码", "主题名称", "阶段序号", "阶段名称", "事项编码", "牵头部门编码"],
}  # fmt: skip


def saved_and_reopened():
    """The workbook as an administrator would receive it: written to .xlsx and read back."""
    buffer = io.BytesIO()
    catalogue_workbook().save(buffer)
    buffer.seek(0)
    return load_workbook(buffer)


def records(sheet):
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_sheets_and_header_rows_match_the_layout():
    workbook = saved_and_reopened()
    assert workbook.sheetnames == list(HEADERS)
    for title, headers in HEADERS.items():
        assert [cell.value for cell in workbook[title][1]] == headers


def test_one_matter_row_per_matter_with_integer_limits_and_yes_no_cells():
    rows = records(saved_and_reopened()["事项"])
    assert [row["事项编码"] for row in rows] == [m.code for m in (*data.MATTERS, *data.LOCAL_MATTERS)]
    for row in rows:
        assert isinstance(row["法定时限"], int) and isinstance(row["承诺时限"], int)
        assert 0 <= row["承诺时限"] <= row["法定时限"]
        assert row["最多跑动次数"] in (0, 1, 2)
        assert row["告知承诺"] in ("是", "否")
        assert row["网办深度"] in ("全程网办", "网上受理", "窗口办理")


def test_materials_and_fields_refer_to_listed_matters_with_valid_cells():
    workbook = saved_and_reopened()
    codes = {m.code for m in (*data.MATTERS, *data.LOCAL_MATTERS)}
    for row in records(workbook["材料"]):
        assert row["事项编码"] in codes
        assert row["必要性"] in ("必要", "非必要")
        assert row["材料形式"] in ("原件", "复印件", "电子")
        assert row["可容缺"] in ("是", "否")
        assert isinstance(row["份数"], int) and row["份数"] >= 1
    for row in records(workbook["表单"]):
        assert row["事项编码"] in codes
        assert row["类型"] in ("文本", "数字", "日期", "选择", "是否")
        assert row["必填"] in ("是", "否")
        assert (row["类型"] == "选择") == bool(row["选项"])


def test_the_same_key_never_has_two_definitions():
    workbook = saved_and_reopened()
    for title, key_column in (("材料", "材料编码"), ("表单", "字段编码")):
        definitions = defaultdict(set)
        for row in records(workbook[title]):
            definitions[row[key_column]].add(tuple(v for k, v in row.items() if k != "事项编码"))
        assert {key: len(found) for key, found in definitions.items() if len(found) > 1} == {}, title


def test_bundle_rows_list_each_stage_in_order_with_its_lead_department():
    rows = records(saved_and_reopened()["一件事"])
    by_bundle = defaultdict(list)
    for row in rows:
        by_bundle[row["主题名称"]].append(row)
    assert {name: len(found) for name, found in by_bundle.items()} == {
        "工业项目施工许可阶段联审联批": 14,
        "企业开办一件事": 5,
    }
    stages = [row["阶段序号"] for row in by_bundle["工业项目施工许可阶段联审联批"]]
    assert stages == sorted(stages) and set(stages) == {1, 2, 3, 4}
    assert {row["牵头部门编码"] for row in by_bundle["企业开办一件事"]} == {"9901-SCJG"}
