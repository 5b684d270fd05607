"""Form values and people for the history: a valid form per matter or bundle, applicants' names and numbers."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Mapping
from typing import Any

from stdnum.cn import ric, uscc

from onewindow.catalogue.domain import schema_to_fields, validate_form
from onewindow.catalogue.domain.forms import FieldKind, FieldSpec
from onewindow.fees.domain import INDUSTRY_FIELD, INPUT_SOURCES, FeeInput

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰文辉斌波宇浩凯鑫瑶婷雪琳晨欣怡佳睿"
TRADES = (
    "商贸",
    "科技",
    "餐饮",
    "建筑工程",
    "物流",
    "文化传媒",
    "医疗器械",
    "食品",
    "农业开发",
    "信息技术",
    "家政服务",
)
WORDS = "川溪江岭明华泰丰源盛德信和安康恒远鸿达"
# The industries of the enterprises set up, in percent, about as a city's new market entities divide (most in trade
# and services); an option not named here is not drawn.
INDUSTRY_SHARES = (
    ("批发和零售业", 38),
    ("其他", 22),
    ("软件和信息技术服务业", 14),
    ("制造业", 12),
    ("建筑业", 10),
    ("房地产业", 4),
)

# An investment project's size (the bill's fee materials, 收费资料: m², m², yuan) and its enterprise's scale,
# drawn per case within the ranges of the demo's year of industrial projects (`demo/data/fee_history.py`), into
# whichever of each material's form fields the form has (in that field's unit).
PROJECT_RANGES = {
    FeeInput.FLOOR_AREA: (3000, 40000),
    FeeInput.AIR_DEFENCE_AREA_UNBUILT: (0, 1000),
    FeeInput.CONTRACT_VALUE: (8_000_000, 120_000_000),
}
SCALE_FIELD = "enterprise_scale"
SCALE_SHARES = (("中型企业", 55), ("小微企业", 30), ("大型企业", 15))
PROJECT_FIELDS = frozenset({key for sources in INPUT_SOURCES.values() for key, _unit in sources} | {SCALE_FIELD})


def form_values(schema: Mapping[str, Any] | None) -> dict[str, Any]:
    """Values for every field of the form that pass its checks (the submission validates them)."""
    values: dict[str, Any] = {}
    for spec in schema_to_fields(schema):
        value = _value(spec)
        if value is not None and not validate_form(schema, {spec.key: value}).get(spec.key):
            values[spec.key] = value
    return values


def industry_draws(schema: Mapping[str, Any] | None) -> tuple[str, ...]:
    """The form's industry options, each as many times as its percent of INDUSTRY_SHARES; none without the field."""
    for spec in schema_to_fields(schema):
        if spec.key == INDUSTRY_FIELD and spec.kind == FieldKind.CHOICE:
            return tuple(name for name, share in INDUSTRY_SHARES if name in spec.options for _ in range(share))
    return ()


def industry_drawn(draws: tuple[str, ...], n: int) -> str:
    """The n-th case's industry: consecutive cases walk through every draw once per len(draws) (19 is prime to
    100), so the shares hold over every hundred cases."""
    return draws[n * 19 % len(draws)]


def project_drawn(form: Mapping[str, Any], case_id: int) -> dict[str, Any]:
    """The project's size and the enterprise's scale for one case, for the fields its form has (none for most)."""
    if PROJECT_FIELDS.isdisjoint(form):
        return {}
    rng = random.Random(case_id)  # noqa: S311 - demo data, not secrets
    drawn: dict[str, Any] = {}
    for name, bounds in PROJECT_RANGES.items():
        value = rng.randint(*bounds)
        drawn |= {key: int(value / unit) for key, unit in INPUT_SOURCES[name] if key in form}
    if SCALE_FIELD in form:
        drawn[SCALE_FIELD] = rng.choices([name for name, _ in SCALE_SHARES], [share for _, share in SCALE_SHARES])[0]
    return drawn


def _value(spec: FieldSpec) -> Any:
    if spec.kind == FieldKind.CHOICE:
        return spec.options[0] if spec.options else None
    if spec.kind == FieldKind.BOOLEAN:
        return True
    if spec.kind == FieldKind.DATE:
        return "2025-06-01"
    if spec.kind == FieldKind.NUMBER:
        low = spec.minimum if spec.minimum is not None else 1
        return low if spec.maximum is None or low <= spec.maximum else spec.maximum
    if spec.pattern:
        return _pattern_sample(spec.pattern)
    text = "历史申报"
    if spec.minimum is not None and len(text) < spec.minimum:
        text = text * int(spec.minimum)
    return text[: int(spec.maximum)] if spec.maximum is not None else text


def _pattern_sample(pattern: str) -> str | None:
    for sample in ("13800138000", "330106199001011234", "310000", "1", "A1"):
        if re.fullmatch(pattern, sample):
            return sample
    return None


def person_name(n: int) -> str:
    return SURNAMES[n % len(SURNAMES)] + GIVEN[(n // 7) % len(GIVEN)] + ("" if n % 3 else GIVEN[(n // 11) % len(GIVEN)])


def enterprise_name(n: int) -> str:
    words = WORDS[n % len(WORDS)] + WORDS[(n // 19) % len(WORDS)]
    return f"云川{words}{TRADES[(n // 3) % len(TRADES)]}有限公司（{n}）"


def resident_id(n: int) -> str:
    """A valid resident ID (GB 11643) unique per n: the birth date and the sequence carry n."""
    born = dt.date(1960, 1, 1) + dt.timedelta(days=(n // 1000) % 16000)
    stem = f"990101{born:%Y%m%d}{n % 1000:03d}"
    return stem + ric.calc_check_digit(stem + "0")


def credit_code(n: int) -> str:
    """A valid unified social credit code (GB 32100) unique per n."""
    stem = f"91990101{n % 10**9:09d}"
    return stem + uscc.calc_check_digit(stem)
