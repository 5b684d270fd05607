"""The fee rules without a database: one test per seed fee and per policy kind."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from onewindow.demo.data.fees import POLICIES, SERVICE_FEES, WEIHAI_FEES, FeePolicySpec
from onewindow.fees import domain
from onewindow.fees.domain import (
    FeeInput,
    FeeInputMissing,
    FormulaInvalid,
    Item,
    Payer,
    Policy,
    PolicyKind,
    estimate,
    formula_amount,
    formula_parse,
    line_compute,
    policy_check,
)

D = Decimal
DAY = dt.date(2026, 6, 1)
INPUTS = {
    FeeInput.FLOOR_AREA: D("12345.67"),
    FeeInput.AIR_DEFENCE_AREA_UNBUILT: D("800"),
    FeeInput.CONTRACT_VALUE: D("36000000"),
}
SPECS = {spec.code: spec for spec in (*WEIHAI_FEES, *SERVICE_FEES)}
INDUSTRIAL = Payer(project_category="industrial")


def item(code: str) -> Item:
    spec = SPECS[code]
    return Item(code, spec.name, formula_parse(spec.formula_kind, spec.params))


def policy(spec: FeePolicySpec) -> Policy:
    return Policy(
        kind=PolicyKind(spec.kind),
        document_number=spec.document_number,
        title=spec.title,
        valid_from=spec.valid_from,
        valid_to=spec.valid_to,
        item_codes=frozenset(spec.item_codes),
        factor=D(spec.factor),
        at_lower_bound=spec.at_lower_bound,
        payer_class=spec.payer_class,
        project_category=spec.project_category,
    )


ALL_POLICIES = [policy(spec) for spec in POLICIES]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("SF-CSPT", "740740.20"),  # 12345.67 m² × 60 元
        ("SF-XQC", "98765.36"),  # × 8 元
        ("SF-YLBZ", "720000.00"),  # 2% of 36,000,000
        ("SF-NMG", "720000.00"),  # 2%, under the 1,000,000 cap
        ("SF-JGTJ", "23000.00"),  # 10,000,000 × 1‰ + 26,000,000 × 0.5‰
        ("SF-RFYD", "1200000.00"),  # 800 m² × 1500 元
        ("SF-SZSN", "12345.67"),  # × 1 元
        ("SF-STSC", "43200.00"),  # 1.2‰
        ("SF-HPFW", "28800.00"),  # 0.8‰
    ],
)
def test_each_seed_fee_computes_to_the_fen(code, expected):
    assert formula_amount(item(code).formula, INPUTS) == D(expected)


def test_amounts_round_half_up_to_the_fen():
    formula = formula_parse("per_unit", {"base": "floor_area", "factor": "0.5"})
    assert formula_amount(formula, {FeeInput.FLOOR_AREA: D("0.01")}) == D("0.01")  # 0.005 → 0.01


def test_bounds_hold_the_amount_between_lower_and_upper():
    stsc, nmg = item("SF-STSC").formula, item("SF-NMG").formula
    assert formula_amount(stsc, {FeeInput.CONTRACT_VALUE: D("100000")}) == D("3000.00")
    assert formula_amount(nmg, {FeeInput.CONTRACT_VALUE: D("900000000")}) == D("1000000.00")
    assert formula_amount(stsc, {FeeInput.CONTRACT_VALUE: D("0")}) == D("0.00")  # nothing to review, no fee


def test_tiers_are_progressive_and_capped():
    tiered = item("SF-JGTJ").formula
    assert formula_amount(tiered, {FeeInput.CONTRACT_VALUE: D("5000000")}) == D("5000.00")
    assert formula_amount(tiered, {FeeInput.CONTRACT_VALUE: D("500000000")}) == D("50000.00")


def test_fixed_fee_needs_no_input():
    assert formula_amount(formula_parse("fixed", {"amount": "200"}), {}) == D("200.00")


def test_missing_input_is_named():
    with pytest.raises(FeeInputMissing) as caught:
        formula_amount(item("SF-RFYD").formula, {FeeInput.FLOOR_AREA: D(1)})
    assert caught.value.name == FeeInput.AIR_DEFENCE_AREA_UNBUILT


@pytest.mark.parametrize(
    ("kind", "params", "message"),
    [
        ("monthly", {}, "计费方式"),
        ("fixed", {"amount": "-1"}, "不小于0"),
        ("per_unit", {"base": "weight", "factor": "1"}, "计费基数"),
        ("rate", {"base": "contract_value", "factor": "abc"}, "费率应为数字"),
        ("rate", {"base": "contract_value", "factor": "0.1", "lower": "9", "upper": "1"}, "下限不能高于上限"),
        ("tiered", {"base": "contract_value", "tiers": []}, "至少有一档"),
        (
            "tiered",
            {"base": "contract_value", "tiers": [{"upto": None, "rate": "1"}, {"upto": "5", "rate": "1"}]},
            "逐档递增",
        ),
        (
            "tiered",
            {"base": "contract_value", "tiers": [{"upto": "9", "rate": "1"}, {"upto": "5", "rate": "1"}]},
            "逐档递增",
        ),
    ],
)
def test_bad_formulas_are_refused_in_chinese(kind, params, message):
    with pytest.raises(FormulaInvalid, match=message):
        formula_parse(kind, params)


def _line(code, payer=INDUSTRIAL, day=DAY, inputs=INPUTS):
    return line_compute(item(code), inputs, payer, day, ALL_POLICIES)


def test_waive_means_nobody_pays_and_names_the_document():
    line = _line("SF-XQC")
    assert (line.computed_amount, line.due_amount, line.subsidised_amount) == (D("98765.36"), 0, 0)
    assert line.policy is not None and line.policy.document_number == "云川政发〔2024〕12号"


def test_subsidise_shows_the_amount_and_the_government_pays_it():
    line = _line("SF-RFYD")
    assert (line.computed_amount, line.due_amount, line.subsidised_amount) == (D("1200000.00"), 0, D("1200000.00"))
    assert line.relieved_amount == D("1200000.00")


def test_reduce_at_the_lower_bound_halves_the_lower_bound():
    line = _line("SF-STSC")
    assert (line.computed_amount, line.due_amount) == (D("43200.00"), D("1500.00"))


def test_reduce_without_lower_bound_halves_the_amount():
    halve = Policy(PolicyKind.REDUCE, "X〔2026〕1号", "减半", DAY, None, frozenset({"SF-CSPT"}), factor=D("0.5"))
    line = line_compute(item("SF-CSPT"), INPUTS, Payer(), DAY, [halve])
    assert line.due_amount == D("370370.10")


def test_exempt_applies_only_to_the_payer_class():
    small = Payer(classes=frozenset({"small_micro"}))
    assert _line("SF-JGTJ", payer=small).due_amount == 0
    assert _line("SF-JGTJ", payer=Payer()).due_amount == D("23000.00")


def test_project_category_policies_leave_other_projects_alone():
    line = _line("SF-XQC", payer=Payer())
    assert line.due_amount == line.computed_amount and line.policy is None


def test_only_policies_in_force_that_day_apply():
    ended = _line("SF-JGTJ", payer=Payer(), day=dt.date(2023, 12, 31))
    assert ended.due_amount == D("11500.00") and ended.policy is not None
    assert _line("SF-JGTJ", payer=Payer(), day=dt.date(2024, 1, 1)).policy is None
    assert _line("SF-XQC", day=dt.date(2023, 12, 31)).policy is None


def test_the_most_favourable_policy_wins():
    halve = Policy(PolicyKind.REDUCE, "A〔2026〕1号", "减半", DAY, None, frozenset({"SF-XQC"}), factor=D("0.5"))
    line = line_compute(item("SF-XQC"), INPUTS, INDUSTRIAL, DAY, [halve, *ALL_POLICIES])
    assert line.due_amount == 0 and line.policy is not None and line.policy.kind is PolicyKind.WAIVE


def test_estimate_totals_the_weihai_stage_for_an_industrial_project():
    weihai = [item(spec.code) for spec in WEIHAI_FEES]
    result = estimate(weihai, INPUTS, INDUSTRIAL, DAY, ALL_POLICIES)
    assert result.computed_total == D("3514851.23")
    assert result.subsidised_total == D("1940740.20")  # 配套费 + 易地建设费
    assert result.due_total == D("1463000.00")  # 养老保障金 + 农民工工资保障金 + 价格调节基金


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": PolicyKind.REDUCE, "factor": D("1.5")}, "减收比例"),
        ({"kind": PolicyKind.EXEMPT, "factor": D(1)}, "缴费人类别"),
        ({"kind": PolicyKind.WAIVE, "factor": D(1), "valid_to": dt.date(2020, 1, 1)}, "失效日期"),
    ],
)
def test_bad_policies_are_refused(kwargs, message):
    with pytest.raises(FormulaInvalid, match=message):
        policy_check(**{"payer_class": "", "valid_from": DAY, "valid_to": None, **kwargs})


def test_fee_materials_are_parsed_and_bad_ones_named_in_chinese():
    from onewindow.fees.domain import InputsInvalid, inputs_parse

    assert inputs_parse({"floor_area": "100.005", "contract_value": ""}) == {FeeInput.FLOOR_AREA: D("100.01")}
    with pytest.raises(InputsInvalid) as caught:
        inputs_parse({"floor_area": "-1", "contract_value": "abc", "air_defence_area_unbuilt": "1e20"})
    assert set(caught.value.errors) == {"floor_area", "contract_value", "air_defence_area_unbuilt"}
    assert "总建筑面积" in caught.value.errors["floor_area"]


def test_a_bill_reads_its_fee_materials_from_the_catalogue_form_fields_and_their_units() -> None:
    form = {"building_area": "12000", "contract_amount": 3600, "air_defence_area_unbuilt": "很多"}
    inputs, unusable = domain.bill_inputs(form)
    assert inputs == {
        domain.FeeInput.FLOOR_AREA: Decimal("12000.00"),
        domain.FeeInput.CONTRACT_VALUE: Decimal("36000000.00"),
    }
    assert unusable == [domain.FeeInput.AIR_DEFENCE_AREA_UNBUILT]
    assert domain.bill_inputs({"floor_area": 10, "building_area": 20})[0][domain.FeeInput.FLOOR_AREA] == Decimal(
        "10.00"
    )


def test_the_form_names_a_small_or_micro_enterprise_in_chinese_or_by_code() -> None:
    assert domain.payer_classes({"enterprise_scale": "小微企业"}) == ["small_micro"]
    assert domain.payer_classes({"enterprise_scale": "中型企业"}) == []
    assert domain.payer_classes({}) == []
