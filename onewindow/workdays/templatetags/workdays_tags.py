"""Due dates on pages, marked when they were counted through a year whose holiday schedule is not
entered yet (`workdays.domain.is_provisional`). Every page that shows a due date uses these two tags,
so the rule is applied in one place; the calendar is read once per request.

    {% load workdays_tags %}
    {% due_date task.due_on %}               2027-01-08 暂定 (badge; the reason as its title)
    {% due_date case.due_on explain=True %}  2027-01-08 暂定 （暂按周末推算，待公布2027年节假日安排）
    {% provisional_note case.due_on %}       （暂按周末推算，待公布2027年节假日安排） or nothing, for sentences
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from onewindow.workdays.selectors import date_is_provisional, work_calendar_for

register = template.Library()


def _is_provisional(context: template.Context, on: dt.date | None) -> bool:
    request = getattr(context, "request", None) or context.get("request")
    return on is not None and date_is_provisional(on, calendar=work_calendar_for(request))


def _reason(on: dt.date) -> str:
    return gettext("暂按周末推算，待公布%(year)s年节假日安排") % {"year": on.year}


def _note(on: dt.date) -> str:
    return gettext("（暂按周末推算，待公布%(year)s年节假日安排）") % {"year": on.year}


@register.simple_tag(takes_context=True)
def due_date(context: template.Context, on: dt.date | None, explain: bool = False) -> SafeString | str:
    """The date as YYYY-MM-DD ("—" when there is none), with a “暂定” badge when it is provisional;
    `explain=True` also says why in words (pages applicants read, where a tooltip is not enough)."""
    if on is None:
        return "—"
    text = date_format(on, "Y-m-d")
    if not _is_provisional(context, on):
        return text
    if explain:
        return format_html(
            '{} <span class="badge text-bg-warning ow-provisional">{}</span> '
            '<span class="small text-body-secondary ow-provisional-note">{}</span>',
            text,
            gettext("暂定"),
            _note(on),
        )
    return format_html(
        '{} <span class="badge text-bg-warning ow-provisional" title="{}">{}'
        '<span class="visually-hidden">{}</span></span>',
        text,
        _reason(on),
        gettext("暂定"),
        _note(on),
    )


@register.simple_tag(takes_context=True)
def provisional_note(context: template.Context, on: dt.date | None) -> str:
    """The explanation in words when `on` is provisional, else nothing (for sentences, e.g. a notice)."""
    return _note(on) if on is not None and _is_provisional(context, on) else ""
