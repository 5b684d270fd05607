"""The agency rules without a database: scope, period, which authorisation allows an action and why not."""

from __future__ import annotations

import datetime as dt

import pytest

from onewindow.agency.domain import (
    AgencyAction,
    Grant,
    GrantState,
    acting_note,
    clean_scope,
    decide,
    validity_errors,
)
from onewindow.errors import InvalidFields

TODAY = dt.date(2026, 9, 30)
EVERY_ACTION = ["submit", "correct", "supplement", "withdraw", "collect"]


def grant(
    scope: tuple[str, ...] = tuple(EVERY_ACTION),
    *,
    since: int = -10,
    until: int | None = 10,
    revoked: int | None = None,
) -> Grant:
    """A grant valid from `since` days from TODAY until `until` days from it (None: until revoked)."""
    return Grant(
        scope=frozenset(scope),
        valid_from=TODAY + dt.timedelta(days=since),
        valid_until=None if until is None else TODAY + dt.timedelta(days=until),
        revoked_on=None if revoked is None else TODAY + dt.timedelta(days=revoked),
    )


def test_all_is_every_action_in_its_order() -> None:
    assert clean_scope(["all"]) == EVERY_ACTION
    assert clean_scope(["withdraw", "submit", " submit "]) == ["submit", "withdraw"]


@pytest.mark.parametrize("scope", [[], [""], ["submit", "sign_contracts"]])
def test_an_empty_or_unknown_scope_is_a_field_error(scope: list[str]) -> None:
    with pytest.raises(InvalidFields) as refused:
        clean_scope(scope)
    assert refused.value.code == "agency_scope_invalid"
    assert set(refused.value.errors) == {"scope"}


def test_a_period_needs_both_ends_in_order_and_not_past_unless_open_ended() -> None:
    assert validity_errors(TODAY, TODAY, today=TODAY) == {}
    assert validity_errors(TODAY, None, today=TODAY, open_ended=True) == {}
    assert set(validity_errors(None, None, today=TODAY)) == {"valid_from", "valid_until"}
    assert (
        "早于今天"
        in validity_errors(TODAY - dt.timedelta(days=9), TODAY - dt.timedelta(days=1), today=TODAY)["valid_until"]
    )
    assert (
        "早于起始日期"
        in validity_errors(TODAY + dt.timedelta(days=5), TODAY + dt.timedelta(days=2), today=TODAY)["valid_until"]
    )


@pytest.mark.parametrize(
    ("kwargs", "state"),
    [
        ({"since": 0, "until": 0}, GrantState.VALID),  # both ends count
        ({"since": 1}, GrantState.NOT_YET_VALID),
        ({"until": -1}, GrantState.EXPIRED),
        ({"until": None}, GrantState.VALID),  # a key project's: until revoked
        ({"revoked": 0}, GrantState.REVOKED),  # from the day it is revoked
        ({"revoked": 1}, GrantState.VALID),
    ],
)
def test_the_period_counts_both_ends_and_a_revocation_its_own_day(kwargs: dict[str, int], state: GrantState) -> None:
    assert grant(**kwargs).state_on(TODAY) == state


def test_one_valid_grant_covering_the_action_suffices_among_others() -> None:
    decision = decide([grant(until=-1), grant(("submit",)), grant(("withdraw",))], AgencyAction.WITHDRAW, TODAY)
    assert (decision.allowed, decision.refused) == (2, None)


def test_no_grant_at_all_is_no_refusal_of_the_agency_kind() -> None:
    decision = decide([], AgencyAction.SUBMIT, TODAY)
    assert (decision.allowed, decision.refused) == (None, None)


@pytest.mark.parametrize(
    ("grants", "code", "says"),
    [
        ([grant(("submit",))], "agency_out_of_scope", "“撤回申请”"),
        ([grant(since=3)], "agency_not_yet_valid", "2026-10-03 起生效"),
        ([grant(until=-2)], "agency_expired", "2026-09-28 到期"),
        ([grant(revoked=-1)], "agency_revoked", "2026-09-29 撤销"),
        # The reason nearest to being allowed is told: a valid grant lacking the action over an expired one.
        ([grant(until=-2), grant(("submit",)), grant(revoked=-1)], "agency_out_of_scope", "委托范围"),
    ],
)
def test_a_refusal_says_why_in_chinese_with_a_stable_code(grants: list[Grant], code: str, says: str) -> None:
    decision = decide(grants, AgencyAction.WITHDRAW, TODAY)
    assert decision.allowed is None and decision.refused is not None
    assert decision.refused.code == code
    assert decision.refused.status == 403
    assert says in decision.refused.message


def test_the_timeline_names_the_agent_and_says_when_the_service_is_free() -> None:
    assert acting_note(agent_name="冯帮办", action=AgencyAction.SUBMIT, is_free=False) == (
        "（代办员冯帮办受申请人委托代为提交申请）"
    )
    assert "重点项目免费代办" in acting_note(agent_name="冯帮办", action=AgencyAction.CORRECT, is_free=True)
