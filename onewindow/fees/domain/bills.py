"""Pure rules of the one bill: where an application's form carries the fee materials and the payer's class,
the checks' default limit, and when a department's correction needs a reason."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from onewindow.fees.domain.rules import INPUT_LABELS, FeeInput, InputsInvalid, inputs_parse, to_fen

BILL_CHECK_LIMIT_DAYS = 5  # 一单收费: every department checks and seals its lines within 5 working days
PAYER_CLASS_FIELD = "enterprise_scale"  # the application's form field naming the enterprise's size
SMALL_MICRO_VALUES = frozenset({"small_micro", "小微企业"})  # its values that make the payer 小微企业
INDUSTRY_FIELD = "industry"  # the application's form field naming the payer's industry (国民经济行业门类)
# Where an application's form carries each fee material: the first field present wins, times its unit
# (the catalogue's forms ask for the contract price in 万元 as `contract_amount`).
INPUT_SOURCES: dict[FeeInput, tuple[tuple[str, Decimal], ...]] = {
    FeeInput.FLOOR_AREA: (("floor_area", Decimal(1)), ("building_area", Decimal(1))),
    FeeInput.AIR_DEFENCE_AREA_UNBUILT: (("air_defence_area_unbuilt", Decimal(1)),),
    FeeInput.CONTRACT_VALUE: (("contract_value", Decimal(1)), ("contract_amount", Decimal(10000))),
}


def _form_value(form_data: Mapping[str, object], name: FeeInput) -> object:
    for key, unit in INPUT_SOURCES[name]:
        value = form_data.get(key)
        if value is None or value == "":
            continue
        try:
            return Decimal(str(value).strip()) * unit
        except InvalidOperation:
            return value
    return None


def bill_inputs(form_data: Mapping[str, object]) -> tuple[dict[FeeInput, Decimal], list[FeeInput]]:
    """The fee materials an application's form carries (INPUT_SOURCES), and those that are there but
    unusable. A bill computes what it can; an unusable material counts as missing."""
    inputs: dict[FeeInput, Decimal] = {}
    unusable: list[FeeInput] = []
    for name in INPUT_LABELS:
        try:
            inputs |= inputs_parse({name: _form_value(form_data, name)})
        except InputsInvalid:
            unusable.append(name)
    return inputs, unusable


def payer_classes(form_data: Mapping[str, object]) -> list[str]:
    return ["small_micro"] if form_data.get(PAYER_CLASS_FIELD) in SMALL_MICRO_VALUES else []


def correction_reason_needed(proposed: Decimal, corrected: Decimal) -> bool:
    """A department may confirm the computed amount as it is; any other amount needs a reason."""
    return to_fen(corrected) != to_fen(proposed)
