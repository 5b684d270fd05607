"""Pure rules of fees: formulas, bounds, policies in force on a date, and the computation of a bill's lines.

No Django here, no clock: the day of the computation is passed in.

- Amounts are `Decimal` yuan, rounded ROUND_HALF_UP to the fen (0.01) once per line, after the bounds.
- A formula is fixed, per unit (元/平方米 of an input such as the floor area), a rate on a base (a fraction:
  0.001 is 1‰ of the contract value), or tiered. Tiers are **progressive** (超额累进, like the national
  service-fee scales): each band's rate applies to the part of the base inside that band, the parts add up.
  Every formula may carry a lower bound (下限) and an upper bound (上限), applied to the raw amount.
- A policy (文件) is in force from `valid_from` to `valid_to` inclusive (open-ended when `valid_to` is None).
  waive (零收费): nobody pays; exempt (免征, a payer class such as 小微企业): nobody pays when the payer is of
  the class; subsidise (财政补贴): the amount is computed and shown, the payer pays 0, the government pays it;
  reduce (减收): the payer pays amount × factor, or lower bound × factor when reduced "at the lower bound".
- Several policies in force on one line: the one most favourable to the payer wins (lowest amount due;
  then the least the government pays; then the document number), and the line names it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from itertools import pairwise
from typing import Any

FEN = Decimal("0.01")
ZERO = Decimal("0.00")


class FeeKind(StrEnum):
    ADMINISTRATIVE = "administrative"  # 行政事业性收费
    FUND = "fund"  # 政府性基金
    SERVICE = "service"  # 经营服务性收费


class FormulaKind(StrEnum):
    FIXED = "fixed"  # 定额
    PER_UNIT = "per_unit"  # 按单位计征（元/平方米）
    RATE = "rate"  # 按基数比例
    TIERED = "tiered"  # 超额累进


class PolicyKind(StrEnum):
    WAIVE = "waive"  # 零收费
    SUBSIDISE = "subsidise"  # 财政补贴
    REDUCE = "reduce"  # 减收
    EXEMPT = "exempt"  # 对某类缴费人免征


class FeeInput(StrEnum):
    """The fee materials an application carries (收费资料)."""

    FLOOR_AREA = "floor_area"  # 总建筑面积（平方米）
    AIR_DEFENCE_AREA_UNBUILT = "air_defence_area_unbuilt"  # 应建未建防空地下室面积（平方米）
    CONTRACT_VALUE = "contract_value"  # 施工合同价款（元）


class FormulaInvalid(ValueError):
    """A formula's parameters are wrong; the message is Chinese, for the staff member who entered them."""


class FeeInputMissing(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def to_fen(amount: Decimal) -> Decimal:
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Tier:
    upto: Decimal | None  # the band ends at this base (inclusive); None: no end
    rate: Decimal


@dataclass(frozen=True)
class Formula:
    kind: FormulaKind
    amount: Decimal = ZERO  # fixed
    factor: Decimal = ZERO  # per unit: 元 per unit; rate: a fraction of the base
    base: FeeInput | None = None
    tiers: tuple[Tier, ...] = ()
    lower: Decimal | None = None
    upper: Decimal | None = None

    @property
    def needs(self) -> FeeInput | None:
        return None if self.kind is FormulaKind.FIXED else self.base


def _decimal(value: Any, what: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise FormulaInvalid(f"{what}应为数字") from None
    if not number.is_finite() or number < 0:
        raise FormulaInvalid(f"{what}应为不小于0的数字")
    return number


def _optional(params: Mapping[str, Any], key: str, what: str) -> Decimal | None:
    value = params.get(key)
    return None if value in (None, "") else _decimal(value, what)


def _base(params: Mapping[str, Any]) -> FeeInput:
    try:
        return FeeInput(params.get("base", ""))
    except ValueError:
        raise FormulaInvalid("计费基数应为：" + "、".join(FeeInput)) from None


def _tiers(raw: Any) -> tuple[Tier, ...]:
    if not isinstance(raw, list) or not raw:
        raise FormulaInvalid("累进计费应至少有一档")
    tiers = []
    for number, band in enumerate(raw, start=1):
        if not isinstance(band, Mapping):
            raise FormulaInvalid(f"第{number}档格式有误")
        upto = _optional(band, "upto", f"第{number}档上限")
        tiers.append(Tier(upto=upto, rate=_decimal(band.get("rate"), f"第{number}档费率")))
    ends = [t.upto for t in tiers if t.upto is not None]
    open_ended_inside = any(t.upto is None for t in tiers[:-1])
    if open_ended_inside or any(a >= b for a, b in pairwise(ends)):
        raise FormulaInvalid("各档上限应逐档递增，只有最后一档可以不设上限")
    return tuple(tiers)


def formula_parse(kind: str, params: Mapping[str, Any]) -> Formula:
    """A formula from its kind and JSON parameters, or FormulaInvalid with a Chinese message."""
    try:
        formula_kind = FormulaKind(kind)
    except ValueError:
        raise FormulaInvalid("计费方式应为：定额、按单位、按比例或累进") from None
    lower = _optional(params, "lower", "下限")
    upper = _optional(params, "upper", "上限")
    if lower is not None and upper is not None and lower > upper:
        raise FormulaInvalid("下限不能高于上限")
    if formula_kind is FormulaKind.FIXED:
        return Formula(formula_kind, amount=_decimal(params.get("amount"), "定额金额"), lower=lower, upper=upper)
    base = _base(params)
    if formula_kind is FormulaKind.TIERED:
        return Formula(formula_kind, base=base, tiers=_tiers(params.get("tiers")), lower=lower, upper=upper)
    what = "单价" if formula_kind is FormulaKind.PER_UNIT else "费率"
    return Formula(formula_kind, factor=_decimal(params.get("factor"), what), base=base, lower=lower, upper=upper)


def _tiered(base: Decimal, tiers: Iterable[Tier]) -> Decimal:
    total, start = Decimal(0), Decimal(0)
    for tier in tiers:
        end = base if tier.upto is None else min(base, tier.upto)
        if end > start:
            total += (end - start) * tier.rate
        if tier.upto is None or base <= tier.upto:
            break
        start = tier.upto
    return total


def _raw(formula: Formula, inputs: Mapping[FeeInput, Decimal]) -> Decimal:
    if formula.kind is FormulaKind.FIXED:
        return formula.amount
    assert formula.base is not None
    if formula.base not in inputs:
        raise FeeInputMissing(formula.base)
    base = inputs[formula.base]
    if formula.kind is FormulaKind.TIERED:
        return _tiered(base, formula.tiers)
    return base * formula.factor


def formula_amount(formula: Formula, inputs: Mapping[FeeInput, Decimal]) -> Decimal:
    """The amount to the fen, within the bounds. A base of 0 owes nothing, whatever the lower bound."""
    raw = _raw(formula, inputs)
    if formula.kind is not FormulaKind.FIXED and raw == 0:
        return ZERO
    if formula.lower is not None:
        raw = max(raw, formula.lower)
    if formula.upper is not None:
        raw = min(raw, formula.upper)
    return to_fen(raw)


@dataclass(frozen=True)
class Policy:
    kind: PolicyKind
    document_number: str  # 文号, e.g. 枣政发〔2019〕5号
    title: str
    valid_from: dt.date
    valid_to: dt.date | None
    item_codes: frozenset[str]
    factor: Decimal = Decimal(1)  # reduce: the share the payer still pays (0.5 halves)
    at_lower_bound: bool = False  # reduce: from the item's lower bound rather than the computed amount
    payer_class: str = ""  # exempt: the class exempted, e.g. small_micro
    project_category: str = ""  # when set, only for projects of this category (e.g. industrial)

    def in_force_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def policy_check(
    *, kind: PolicyKind, factor: Decimal, payer_class: str, valid_from: dt.date, valid_to: dt.date | None
) -> None:
    """The rules a policy's own fields must meet; FormulaInvalid with a Chinese message otherwise."""
    if valid_to is not None and valid_to < valid_from:
        raise FormulaInvalid("失效日期不能早于生效日期")
    if kind is PolicyKind.REDUCE and not (0 <= factor < 1):
        raise FormulaInvalid("减收比例应不小于0且小于1（减半为0.5）")
    if kind is PolicyKind.EXEMPT and not payer_class:
        raise FormulaInvalid("免征政策应指明缴费人类别")


@dataclass(frozen=True)
class Payer:
    classes: frozenset[str] = frozenset()  # e.g. {"small_micro"}
    project_category: str = ""  # e.g. "industrial"


@dataclass(frozen=True)
class Item:
    code: str
    name: str
    formula: Formula


@dataclass(frozen=True)
class Line:
    item: Item
    computed_amount: Decimal  # what the formula gives (应收)
    due_amount: Decimal  # what the payer pays (应缴)
    subsidised_amount: Decimal  # what the government pays (财政补贴)
    policy: Policy | None  # the policy that changed the line, if any

    @property
    def relieved_amount(self) -> Decimal:
        """What the payer does not pay because of the policy (waived, exempted, subsidised or reduced)."""
        return self.computed_amount - self.due_amount


def applies(policy: Policy, item: Item, payer: Payer, day: dt.date) -> bool:
    if item.code not in policy.item_codes or not policy.in_force_on(day):
        return False
    if policy.project_category and policy.project_category != payer.project_category:
        return False
    return policy.kind is not PolicyKind.EXEMPT or policy.payer_class in payer.classes


def _apply(policy: Policy, item: Item, computed: Decimal) -> Line:
    due, subsidised = ZERO, ZERO
    if policy.kind is PolicyKind.SUBSIDISE:
        subsidised = computed
    elif policy.kind is PolicyKind.REDUCE:
        lower = item.formula.lower
        start = lower if policy.at_lower_bound and lower is not None else computed
        due = min(computed, to_fen(start * policy.factor))
    return Line(item, computed, due, subsidised, policy)


def line_compute(
    item: Item, inputs: Mapping[FeeInput, Decimal], payer: Payer, day: dt.date, policies: Iterable[Policy]
) -> Line:
    computed = formula_amount(item.formula, inputs)
    candidates = [_apply(p, item, computed) for p in policies if applies(p, item, payer, day)]
    if computed == 0 or not candidates:
        return Line(item, computed, computed, ZERO, None)
    return min(
        candidates,
        key=lambda line: (line.due_amount, line.subsidised_amount, line.policy and line.policy.document_number),
    )


@dataclass(frozen=True)
class Estimate:
    lines: tuple[Line, ...]
    computed_total: Decimal = field(init=False)
    due_total: Decimal = field(init=False)
    subsidised_total: Decimal = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "computed_total", sum((x.computed_amount for x in self.lines), ZERO))
        object.__setattr__(self, "due_total", sum((x.due_amount for x in self.lines), ZERO))
        object.__setattr__(self, "subsidised_total", sum((x.subsidised_amount for x in self.lines), ZERO))


def estimate(
    items: Iterable[Item], inputs: Mapping[FeeInput, Decimal], payer: Payer, day: dt.date, policies: Iterable[Policy]
) -> Estimate:
    """Every item's line on `day`, with the policies in force that day. FeeInputMissing names a missing input."""
    in_force = [p for p in policies if p.in_force_on(day)]
    return Estimate(tuple(line_compute(item, inputs, payer, day, in_force) for item in items))


INPUT_LABELS: dict[FeeInput, str] = {
    FeeInput.FLOOR_AREA: "总建筑面积（平方米）",
    FeeInput.AIR_DEFENCE_AREA_UNBUILT: "应建未建防空地下室面积（平方米）",
    FeeInput.CONTRACT_VALUE: "施工合同价款（元）",
}
INPUT_MAXIMUM = Decimal("1e13")  # 10 trillion: above any building's area or contract


class InputsInvalid(ValueError):
    """Fee materials that cannot be used, per input name, in Chinese."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def inputs_parse(raw: Mapping[str, object]) -> dict[FeeInput, Decimal]:
    """The fee materials given (blank ones left out), each a number from 0 to INPUT_MAXIMUM, to the fen."""
    inputs: dict[FeeInput, Decimal] = {}
    errors: dict[str, str] = {}
    for name, label in INPUT_LABELS.items():
        value = raw.get(name)
        if value is None or value == "":
            continue
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite() or number < 0 or number > INPUT_MAXIMUM:
            errors[name] = f"{label}应为0至10万亿之间的数字"
        else:
            inputs[name] = to_fen(number)
    if errors:
        raise InputsInvalid(errors)
    return inputs


def missing_input_message(name: str) -> str:
    return f"请填写{INPUT_LABELS[FeeInput(name)]}"


def missing_inputs(formulas: Iterable[Formula], inputs: Mapping[FeeInput, Decimal]) -> list[FeeInput]:
    """Every fee material the formulas need and the inputs lack, in the order of INPUT_LABELS."""
    needed = {formula.needs for formula in formulas} - {None} - set(inputs)
    return [name for name in INPUT_LABELS if name in needed]


class PolicyStatus(StrEnum):
    FUTURE = "future"
    IN_FORCE = "in_force"
    ENDED = "ended"


def policy_status(valid_from: dt.date, valid_to: dt.date | None, on: dt.date) -> PolicyStatus:
    """Where a policy stands on `on`: not yet in force, in force (both ends inclusive), or ended."""
    if on < valid_from:
        return PolicyStatus.FUTURE
    return PolicyStatus.ENDED if valid_to is not None and valid_to < on else PolicyStatus.IN_FORCE
