"""For other apps' API schemas: a due date counted through a year whose holiday schedule is not
entered yet carries a boolean beside it (`<date>_provisional`, `domain.is_provisional`). Two lines in
the schema and nothing in the code that builds the answer; the calendar is read once per request:

    due_on: dt.date | None = Field(description="办结期限")
    due_on_provisional: bool = provisional_field("办结期限")
    resolve_due_on_provisional = provisional_resolver("due_on")
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ninja import Field

from onewindow.workdays.selectors import date_is_provisional, work_calendar_for


def provisional_field(label: str) -> Any:
    return Field(
        description=f"{label}是否为暂定：该年节假日安排尚未录入，暂按周末推算，录入后可能变化（无期限时为 false）"
    )


def provisional_resolver(date_field: str) -> staticmethod[[Any, Any], bool]:
    """A django-ninja resolver: is the answer's `date_field` provisional?"""

    def resolve(obj: Any, context: Mapping[str, Any] | None = None) -> bool:
        on = obj.get(date_field) if isinstance(obj, Mapping) else getattr(obj, date_field, None)
        request = (context or {}).get("request")
        return date_is_provisional(on, calendar=work_calendar_for(request))

    return staticmethod(resolve)
