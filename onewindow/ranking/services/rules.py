"""Rule versions (规则版本): which rulebook a period is ranked under, and adding a new one.

The version in force for a period is the one with the latest `effective_from` on or before it.
When no version is in force for a period (none yet, or only later ones), the computation writes
the default rulebook effective from 2000-01 (audited like any other version).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from onewindow.audit.services import audit_record
from onewindow.errors import Conflict, PermissionDenied
from onewindow.orgs.models import User
from onewindow.ranking.domain.periods import FIRST_YEAR, period_label, period_of
from onewindow.ranking.domain.rules import DEFAULT_RULES, rules_as_json, rules_from_json
from onewindow.ranking.models import RuleVersion
from onewindow.ranking.selectors import is_city_office

STREAM = "ranking:rules"
DEFAULT_EFFECTIVE_FROM = dt.date(FIRST_YEAR, 1, 1)


def rule_version_in_force(period: dt.date) -> RuleVersion | None:
    return RuleVersion.objects.filter(effective_from__lte=period_of(period)).order_by("-effective_from").first()


@transaction.atomic
def rule_version_for(period: dt.date, *, actor: User | None = None) -> RuleVersion:
    """The version in force for `period`, writing the default one when there is none at all."""
    version = rule_version_in_force(period)
    if version is not None:
        return version
    try:
        with transaction.atomic():  # two first computations at once: one writes, the other reads it
            return _create(actor=actor, effective_from=DEFAULT_EFFECTIVE_FROM, rules=DEFAULT_RULES, note="默认规则")
    except IntegrityError:
        return RuleVersion.objects.get(effective_from=DEFAULT_EFFECTIVE_FROM)


@transaction.atomic
def rule_version_create(*, actor: User, effective_from: dt.date, rules: Any, note: str = "") -> RuleVersion:
    """A new version from `effective_from` on (city key-project office only). The numbers are checked
    by the domain; missing ones take the defaults. Periods already ranked keep their results until
    they are recomputed (`onewindow ranking run --from …`)."""
    if not is_city_office(actor):
        raise PermissionDenied("只有市重点项目办可以修改排位规则", code="rule_version_forbidden")
    effective_from = period_of(effective_from)
    rules_from_json(rules)  # refuse wrong numbers before writing anything
    if RuleVersion.objects.select_for_update().filter(effective_from=effective_from).exists():
        raise Conflict(f"{period_label(effective_from)} 已有规则版本", code="rule_version_exists")
    if (
        effective_from > DEFAULT_EFFECTIVE_FROM and not RuleVersion.objects.exists()
    ):  # the defaults come first: v1 is what earlier months use
        _create(actor=actor, effective_from=DEFAULT_EFFECTIVE_FROM, rules=DEFAULT_RULES, note="默认规则")
    return _create(actor=actor, effective_from=effective_from, rules=rules, note=note.strip()[:200])


def _create(*, actor: User | None, effective_from: dt.date, rules: Any, note: str) -> RuleVersion:
    normalised = rules_as_json(rules_from_json(rules))
    number = (RuleVersion.objects.aggregate(last=Max("number"))["last"] or 0) + 1
    version = RuleVersion.objects.create(
        number=number, effective_from=effective_from, rules=normalised, note=note, created_by=actor
    )
    audit_record(
        stream=STREAM,
        action="ranking.rule_version_created",
        target_type="ranking.ruleversion",
        target_id=version.pk,
        actor=actor,
        changes={"number": number, "effective_from": period_label(effective_from), "rules": normalised},
    )
    return version
