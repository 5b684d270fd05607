"""Writes of dispatch, one use case per function (cycles, reports, photos, problems, reminders)."""
