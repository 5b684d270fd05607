"""The halls' pages: 预约办事 for applicants (`book.py`), the desk of the halls' staff (`desk.py`), and
the hall's settings, closures, windows and roster (`settings.py`, `roster.py`)."""
