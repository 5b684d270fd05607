"""The hall's figures (issue 15): waiting and service times, abandonment, window utilisation, bookings kept
and missed, weekend volume per window; the staff dashboard, its Excel export and the API. See ../README.md."""
