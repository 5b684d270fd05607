"""The analysis pages' tabs, one list for every page (`analytics/_tabs.html`)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def analytics_tabs() -> list[tuple[str, str, str, bool]]:
    """(key, URL name, label, whether the period and filters go along)."""
    return [
        ("overview", "analytics:overview", _("领导分析"), True),
        ("demand", "analytics:demand", _("把握公众需求"), True),
        ("operations", "analytics:operations", _("规范运行管理"), True),
        ("forecast", "analytics_forecast:forecast", _("办件量预测"), False),
        ("bottlenecks", "analytics_bottlenecks:page", _("瓶颈分析"), True),
        ("reforms", "analytics_reforms:list", _("改革成效"), False),
        ("report", "analytics_report:page", _("月度分析报告"), False),
    ]
