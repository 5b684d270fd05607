"""Log filters: what reaches the operators' log, and in how many lines."""

from __future__ import annotations

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """Keep a 4xx response's one-line record and drop its traceback.

    Django logs a refused page (403) with the exception that refused it; a probe of a few thousand
    forbidden URLs then fills the log with tracebacks that say nothing an operator needs. Server
    errors (5xx) keep theirs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
