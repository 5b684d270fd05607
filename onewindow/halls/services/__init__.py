"""Writes of halls: bookings (`bookings.py`), a clerk's booking for a caller (`callers.py`), and the
hall's settings, closures, windows and roster (`setup.py`). Each write is one transaction with its
audit event (stream `hall:<id>`); see the modules for the locking."""

from onewindow.halls.services.bookings import (
    booking_arrive,
    booking_cancel,
    booking_create,
    booking_reschedule,
    bookings_lapse,
    bookings_remind,
    slot_datetime,
)
from onewindow.halls.services.callers import booking_create_for_caller
from onewindow.halls.services.setup import (
    closure_add,
    closure_remove,
    duty_add,
    duty_remove,
    hall_settings_update,
    hall_setup,
    window_settings_update,
    window_setup,
)

__all__ = [
    "booking_arrive",
    "booking_cancel",
    "booking_create",
    "booking_create_for_caller",
    "booking_reschedule",
    "bookings_lapse",
    "bookings_remind",
    "closure_add",
    "closure_remove",
    "duty_add",
    "duty_remove",
    "hall_settings_update",
    "hall_setup",
    "slot_datetime",
    "window_settings_update",
    "window_setup",
]
