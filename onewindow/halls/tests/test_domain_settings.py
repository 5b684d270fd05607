"""The pure rules of a hall's settings: bounds of the appointment rules, week hours, window kinds."""

import dataclasses
import datetime as dt

from onewindow.halls.domain import HallRules, is_mobile_phone, rules_errors, week_hours_errors, window_errors

T = dt.time
DEFAULTS = HallRules(
    kind="centre",
    weekend_service=False,
    slot_minutes=30,
    daily_limit=2,
    cutoff_minutes=60,
    arrive_before_minutes=30,
    arrive_after_minutes=15,
    no_show_limit=3,
    no_show_period_days=90,
    pause_days=30,
)


def test_the_default_rules_hold():
    assert rules_errors(DEFAULTS) == {}


def test_every_rule_out_of_bounds_is_named_at_once():
    wrong = dataclasses.replace(DEFAULTS, kind="palace", slot_minutes=0, daily_limit=99, pause_days=0)
    assert set(rules_errors(wrong)) == {"kind", "slot_minutes", "daily_limit", "pause_days"}
    assert "5" in rules_errors(wrong)["slot_minutes"]


def test_no_show_limit_zero_means_never_pause():
    assert rules_errors(dataclasses.replace(DEFAULTS, no_show_limit=0)) == {}


def test_week_hours_close_after_they_open_and_hold_a_slot():
    hours = {0: (T(9), T(17)), 1: (T(12), T(9)), 2: (T(9), T(9, 20)), 5: None}
    errors = week_hours_errors(hours, slot_minutes=30)
    assert set(errors) == {"hours_1", "hours_2"}
    assert "晚于" in errors["hours_1"] and "30" in errors["hours_2"]


def test_a_specialised_window_names_its_matters():
    assert window_errors("specialised", " ") == {"matters": "专业窗口请填写专办事项。"}
    assert window_errors("specialised", "不动产登记") == {}
    assert window_errors("comprehensive", "") == {}
    assert "kind" in window_errors("kiosk", "")


def test_mobile_phone_numbers():
    assert is_mobile_phone("13912345678")
    assert not is_mobile_phone("12912345678") and not is_mobile_phone("1391234567") and not is_mobile_phone("abc")
