"""zh-Hans text uses full-width punctuation: templates, the code's messages and the demo's data."""

from onewindow.web.tests.punctuation import findings, fixed, marks


def test_chinese_text_in_templates_messages_and_demo_data_uses_full_width_punctuation():
    found = list(findings())
    assert not found, "\n".join(found[:40]) + "\n(python -m onewindow.web.tests.punctuation --fix FILE)"


def test_the_rule_leaves_english_format_fields_codes_and_regular_expressions_alone():
    assert fixed("请补充(营业执照),谢谢:") == "请补充（营业执照），谢谢："
    assert fixed("%(count)s 个(已选)") == "%(count)s 个（已选）"
    assert fixed("Acceptance with deferral (容缺受理)") == "Acceptance with deferral (容缺受理)"
    assert not marks("补正对象须是一项材料（material:编码）")
    assert not marks(r"^(\d{4})年计划投资\(万元\)$")
    assert fixed("表单字段“{spec.label}”({spec.key})的格式") == "表单字段“{spec.label}”（{spec.key}）的格式"
