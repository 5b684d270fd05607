"""The rules of numbers, order, windows and recall, without a database."""

import datetime as dt

import pytest

from onewindow.tickets.domain import (
    PriorityGroup,
    QueuedTicket,
    TicketAction,
    TicketStatus,
    TransitionNotAllowed,
    WindowScope,
    category_letter,
    format_number,
    is_within_arrival,
    may_recall,
    next_status,
    people_ahead,
    priority_for,
    queue_order,
    window_may_call,
)

T0 = dt.datetime(2026, 12, 7, 9, 0)


def minutes(n: int) -> dt.datetime:
    return T0 + dt.timedelta(minutes=n)


def test_numbers_are_a_letter_per_category_and_three_digits():
    assert [category_letter(i) for i in (0, 1, 25, 26, 27)] == ["A", "B", "Z", "AA", "AB"]
    assert format_number("A", 1) == "A001"
    assert format_number("B", 42) == "B042"
    assert format_number("A", 1000) == "A1000"
    with pytest.raises(ValueError):
        format_number("A", 0)


def test_bookings_on_time_come_first_then_green_channel_then_priority_groups_then_arrival():
    normal = QueuedTicket(1, PriorityGroup.NORMAL, minutes(0))
    elderly = QueuedTicket(2, PriorityGroup.PRIORITY, minutes(5))
    green = QueuedTicket(3, PriorityGroup.GREEN, minutes(6))
    booked = QueuedTicket(4, PriorityGroup.BOOKING, minutes(10))
    later_normal = QueuedTicket(5, PriorityGroup.NORMAL, minutes(1))
    order = queue_order([normal, elderly, green, booked, later_normal])
    assert [t.id for t in order] == [4, 3, 2, 1, 5]
    assert people_ahead(normal, order) == 3
    assert people_ahead(booked, order) == 0


def test_the_priority_group_of_a_ticket():
    assert priority_for(on_time_booking=True, green_channel=True, priority_group=True) is PriorityGroup.BOOKING
    assert priority_for(on_time_booking=False, green_channel=True, priority_group=True) is PriorityGroup.GREEN
    assert priority_for(on_time_booking=False, green_channel=False, priority_group=True) is PriorityGroup.PRIORITY
    assert priority_for(on_time_booking=False, green_channel=False, priority_group=False) is PriorityGroup.NORMAL


def test_a_booking_is_on_time_within_its_arrival_window():
    slot = minutes(60)
    assert is_within_arrival(slot, minutes(30), before_minutes=30, after_minutes=15)
    assert is_within_arrival(slot, minutes(75), before_minutes=30, after_minutes=15)
    assert not is_within_arrival(slot, minutes(29), before_minutes=30, after_minutes=15)
    assert not is_within_arrival(slot, minutes(76), before_minutes=30, after_minutes=15)


def test_a_skipped_ticket_may_be_recalled_only_within_the_minutes_set():
    assert may_recall(T0, minutes(30), 30)
    assert not may_recall(T0, minutes(31), 30)


def test_which_window_may_call_which_ticket():
    comprehensive = WindowScope(1, "comprehensive", frozenset({10}))
    green = WindowScope(2, "green", frozenset())
    assisted = WindowScope(3, "assisted", frozenset())
    assert window_may_call(comprehensive, category_id=10, priority=PriorityGroup.NORMAL, target_window_id=None)
    assert not window_may_call(comprehensive, category_id=11, priority=PriorityGroup.GREEN, target_window_id=None)
    assert window_may_call(green, category_id=11, priority=PriorityGroup.GREEN, target_window_id=None)
    assert not window_may_call(green, category_id=11, priority=PriorityGroup.NORMAL, target_window_id=None)
    assert window_may_call(assisted, category_id=11, priority=PriorityGroup.PRIORITY, target_window_id=None)
    # A ticket transferred to a window is that window's alone.
    assert not window_may_call(comprehensive, category_id=10, priority=PriorityGroup.NORMAL, target_window_id=2)
    assert window_may_call(green, category_id=10, priority=PriorityGroup.NORMAL, target_window_id=2)


def test_the_state_table():
    assert next_status(TicketStatus.WAITING, TicketAction.CALL) is TicketStatus.CALLED
    assert next_status(TicketStatus.CALLED, TicketAction.SKIP) is TicketStatus.SKIPPED
    assert next_status(TicketStatus.SKIPPED, TicketAction.RECALL) is TicketStatus.CALLED
    assert next_status(TicketStatus.SERVING, TicketAction.FINISH) is TicketStatus.DONE
    assert next_status(TicketStatus.SERVING, TicketAction.TRANSFER) is TicketStatus.TRANSFERRED
    with pytest.raises(TransitionNotAllowed):
        next_status(TicketStatus.WAITING, TicketAction.FINISH)
    with pytest.raises(TransitionNotAllowed):
        next_status(TicketStatus.DONE, TicketAction.CALL)
