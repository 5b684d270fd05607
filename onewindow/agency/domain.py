"""Pure rules of the agency service (代办 / 帮办): an agent acts for an applicant under a recorded
authorisation (委托), within its scope and its period.

The law behind them:
- 行政许可法 Art. 29: an applicant may file through an agent (except where the law requires the
  applicant in person: a window-only matter stays at the window, `cases` refuses it online);
- 民法典 Art. 163, 165: the agent acts within the authority granted; a written authorisation
  (授权委托书) names the agent, the matters, the authority and the period;
- 民法典 Art. 173: the authority ends when its period ends or the principal revokes it (or the agent
  renounces it).

Here: the scope is a set of actions (`AgencyAction`, or all of them); an authorisation is valid from
`valid_from` to `valid_until` inclusive (Asia/Shanghai dates; none: until revoked, a key project's free
agency), and allows nothing from the day it is revoked. Among several authorisations for one applicant,
one valid today whose scope covers the action suffices; otherwise the refusal says why, the reason
nearest to being allowed first (scope, then not yet valid, expired, revoked).

No Django: `today` is passed in; the services load the rows and call these rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from onewindow.errors import InvalidFields, PermissionDenied


class AgencyAction(StrEnum):
    SUBMIT = "submit"  # 申报 (saving a draft included)
    CORRECT = "correct"  # 补正后重新提交
    SUPPLEMENT = "supplement"  # 提交补充材料
    WITHDRAW = "withdraw"  # 撤回申请
    COLLECT = "collect"  # 领取办理结果: no operation yet (the certificates issue); the scope is recorded


ACTION_LABELS: dict[AgencyAction, str] = {
    AgencyAction.SUBMIT: "提交申请",
    AgencyAction.CORRECT: "补正",
    AgencyAction.SUPPLEMENT: "提交补充材料",
    AgencyAction.WITHDRAW: "撤回申请",
    AgencyAction.COLLECT: "领取办理结果",
}
ALL_ACTIONS = "all"  # what a form or a request may say instead of listing every action


class Basis(StrEnum):
    WINDOW = "window"  # recorded by a clerk from the applicant's signed 委托书
    ONLINE = "online"  # granted by the applicant's own online account
    KEY_PROJECT = "key_project"  # the key-project office assigns the project's agent: free of charge


BASIS_LABELS: dict[Basis, str] = {
    Basis.WINDOW: "窗口登记",
    Basis.ONLINE: "申请人网上委托",
    Basis.KEY_PROJECT: "重点项目免费代办",
}


def clean_scope(values: Iterable[str]) -> list[str]:
    """The scope as stored: the chosen actions in their order ("all": every action), or a field error."""
    chosen = {str(value).strip() for value in values if str(value).strip()}
    if ALL_ACTIONS in chosen:
        return [action.value for action in AgencyAction]
    unknown = sorted(chosen - {action.value for action in AgencyAction})
    if unknown:
        message = f"委托范围中有无法识别的事项：{'、'.join(unknown)}"
        raise InvalidFields(message, errors={"scope": message}, code="agency_scope_invalid")
    if not chosen:
        message = "请选择委托范围（可代为办理的事项）"
        raise InvalidFields(message, errors={"scope": message}, code="agency_scope_invalid")
    return [action.value for action in AgencyAction if action.value in chosen]


def scope_labels(scope: Iterable[str]) -> list[str]:
    known = {action.value: label for action, label in ACTION_LABELS.items()}
    return [known[value] for value in scope if value in known]


def validity_errors(
    valid_from: dt.date | None, valid_until: dt.date | None, *, today: dt.date, open_ended: bool = False
) -> dict[str, str]:
    """What is wrong with a new authorisation's period (nothing: an empty dict)."""
    errors: dict[str, str] = {}
    if valid_from is None:
        errors["valid_from"] = "请填写委托的起始日期"
    if valid_until is None:
        if not open_ended:
            errors["valid_until"] = "请填写委托的截止日期（授权委托书载明的期限）"
    elif valid_until < today:
        errors["valid_until"] = "委托的截止日期不能早于今天"
    elif valid_from is not None and valid_until < valid_from:
        errors["valid_until"] = "委托的截止日期不能早于起始日期"
    return errors


class GrantState(StrEnum):
    VALID = "valid"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    REVOKED = "revoked"


STATE_LABELS: dict[GrantState, str] = {
    GrantState.VALID: "有效",
    GrantState.NOT_YET_VALID: "尚未生效",
    GrantState.EXPIRED: "已到期",
    GrantState.REVOKED: "已撤销",
}


@dataclass(frozen=True)
class Grant:
    """What the rules need of one authorisation."""

    scope: frozenset[str]
    valid_from: dt.date
    valid_until: dt.date | None
    revoked_on: dt.date | None = None

    def state_on(self, today: dt.date) -> GrantState:
        if self.revoked_on is not None and self.revoked_on <= today:
            return GrantState.REVOKED
        if today < self.valid_from:
            return GrantState.NOT_YET_VALID
        if self.valid_until is not None and today > self.valid_until:
            return GrantState.EXPIRED
        return GrantState.VALID

    def covers(self, action: AgencyAction) -> bool:
        return action.value in self.scope


def _refusal(grant: Grant, state: GrantState, action: AgencyAction) -> PermissionDenied:
    if state == GrantState.VALID:
        label = ACTION_LABELS[action]
        return PermissionDenied(
            f"委托范围不包括“{label}”，不能代为办理；请申请人本人办理，或重新委托。", code="agency_out_of_scope"
        )
    if state == GrantState.NOT_YET_VALID:
        return PermissionDenied(
            f"委托自 {grant.valid_from:%Y-%m-%d} 起生效，目前还不能代为办理。", code="agency_not_yet_valid"
        )
    if state == GrantState.EXPIRED:
        assert grant.valid_until is not None
        return PermissionDenied(
            f"委托已于 {grant.valid_until:%Y-%m-%d} 到期，不能再代为办理；请申请人重新委托。", code="agency_expired"
        )
    assert grant.revoked_on is not None
    return PermissionDenied(f"委托已于 {grant.revoked_on:%Y-%m-%d} 撤销，不能再代为办理。", code="agency_revoked")


# The refusal nearest to being allowed is the one worth telling.
_REFUSAL_ORDER = (GrantState.VALID, GrantState.NOT_YET_VALID, GrantState.EXPIRED, GrantState.REVOKED)


@dataclass(frozen=True)
class Decision:
    """Which grant (its index) allows the action, or why none does (None, None: there is no grant)."""

    allowed: int | None
    refused: PermissionDenied | None


def decide(grants: Sequence[Grant], action: AgencyAction, today: dt.date) -> Decision:
    states = [grant.state_on(today) for grant in grants]
    for index, (grant, state) in enumerate(zip(grants, states, strict=True)):
        if state == GrantState.VALID and grant.covers(action):
            return Decision(allowed=index, refused=None)
    if not grants:
        return Decision(allowed=None, refused=None)
    # The latest of the grants in the most relevant state (the list is oldest first).
    index = min(range(len(grants)), key=lambda i: (_REFUSAL_ORDER.index(states[i]), -i))
    return Decision(allowed=None, refused=_refusal(grants[index], states[index], action))


def acting_note(*, agent_name: str, action: AgencyAction, is_free: bool) -> str:
    """What the case's timeline says of a step an agent took for the applicant."""
    label = ACTION_LABELS[action]
    if is_free:
        return f"（重点项目免费代办：代办员{agent_name}受申请人委托代为{label}）"
    return f"（代办员{agent_name}受申请人委托代为{label}）"
