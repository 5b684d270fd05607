"""Recording a reform (`reform_record`): one transaction, the `analytics.reform_recorded` event on the reform's
own stream (`reform:<id>`) inside it. Only a system admin records one, for a region of their scope (another
region: 404 like a missing one), naming matters of that region's departments and bundles with a stage led by
one of them. Every problem of the form is reported at once (422 `analytics_reform_invalid`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from onewindow import clock
from onewindow.analytics.models import Reform
from onewindow.analytics.reforms.selectors import EARLIEST
from onewindow.audit.services import audit_record
from onewindow.catalogue.models import Bundle, Matter
from onewindow.errors import InvalidFields, NotFound, PermissionDenied
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.selectors import organisations_visible_to

TARGET_TYPE = "analytics.reform"
AUDIT_LABELS = {"analytics.reform_recorded": "登记改革"}
TITLE_MAX, NUMBER_MAX, DESCRIPTION_MAX = 200, 100, 4000


def reform_stream(reform_id: int) -> str:
    return f"reform:{reform_id}"


@dataclass(frozen=True)
class ReformInput:
    title: str
    document_number: str
    effective_on: dt.date | str  # a date, or the text typed in the form (YYYY-MM-DD)
    organisation_id: int | None
    description: str = ""
    matter_ids: Sequence[int] = field(default_factory=tuple)
    bundle_ids: Sequence[int] = field(default_factory=tuple)


def recording_scope(user: User) -> Any:
    """The organisations a system admin records reforms for; 403 for anyone else."""
    scope = organisations_visible_to(user, roles={Role.SYSTEM_ADMIN}) if user.is_authenticated else None
    if scope is None or not scope.exists():
        raise PermissionDenied(_("只有系统管理员可以登记改革。"), code="analytics_reform_forbidden")
    return scope


def _effective_on(value: dt.date | str, errors: dict[str, str]) -> dt.date | None:
    if isinstance(value, dt.date):
        day: dt.date | None = value
    else:
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            errors["effective_on"] = _("请填写实施日期（YYYY-MM-DD）。")
            return None
    latest = clock.today() + dt.timedelta(days=366)
    if day is not None and not EARLIEST <= day <= latest:
        errors["effective_on"] = _("实施日期应在 2000 年 1 月 1 日至一年后之间。")
        return None
    return day


def _texts(data: ReformInput, errors: dict[str, str]) -> tuple[str, str, str]:
    title, number, description = data.title.strip(), data.document_number.strip(), data.description.strip()
    if not title or len(title) > TITLE_MAX:
        errors["title"] = _("请填写改革名称（不超过 %(most)s 字）。") % {"most": TITLE_MAX}
    if not number or len(number) > NUMBER_MAX:
        errors["document_number"] = _("请填写文号（不超过 %(most)s 字）。") % {"most": NUMBER_MAX}
    elif Reform.objects.filter(document_number=number).exists():
        errors["document_number"] = _("该文号的改革已登记。")
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = _("改革内容不超过 %(most)s 字。") % {"most": DESCRIPTION_MAX}
    return title, number, description


def _subjects(
    data: ReformInput, organisation: Organisation, errors: dict[str, str]
) -> tuple[list[Matter], list[Bundle]]:
    matter_ids, bundle_ids = set(data.matter_ids), set(data.bundle_ids)
    inside = organisation.path
    matters = list(Matter.objects.filter(pk__in=matter_ids, department__path__startswith=inside).order_by("code"))
    bundles = list(
        Bundle.objects.filter(pk__in=bundle_ids, versions__stages__lead_department__path__startswith=inside)
        .distinct()
        .order_by("code")
    )
    if len(matters) != len(matter_ids):
        errors["matters"] = _("所选事项须由实施区划内的部门实施。")
    if len(bundles) != len(bundle_ids):
        errors["bundles"] = _("所选一件事须有实施区划内的部门牵头的阶段。")
    if not matter_ids and not bundle_ids:
        errors["matters"] = _("请至少选择一个事项或一件事。")
    return matters, bundles


@transaction.atomic
def reform_record(*, actor: User, data: ReformInput) -> Reform:
    """Record a reform as its document says; its results are computed from the cases, never stored."""
    scope = recording_scope(actor)
    errors: dict[str, str] = {}
    if data.organisation_id is None:
        errors["organisation"] = _("请选择实施区划。")
        organisation = None
    else:
        organisation = scope.filter(pk=data.organisation_id, kind=Organisation.Kind.REGION).first()
        if organisation is None:
            raise NotFound(_("未找到该区划。"), code="analytics_region_not_found")
    title, number, description = _texts(data, errors)
    effective_on = _effective_on(data.effective_on, errors)
    matters, bundles = _subjects(data, organisation, errors) if organisation is not None else ([], [])
    if errors or organisation is None or effective_on is None:
        message = _("改革信息有 %(count)s 处需要修改。") % {"count": len(errors)}
        raise InvalidFields(message, errors=errors, code="analytics_reform_invalid")
    reform = Reform.objects.create(
        title=title,
        document_number=number,
        effective_on=effective_on,
        description=description,
        organisation=organisation,
        recorded_by=actor,
    )
    reform.matters.set(matters)
    reform.bundles.set(bundles)
    changes = {
        "title": title,
        "document_number": number,
        "effective_on": effective_on.isoformat(),
        "organisation": organisation.code,
        "matters": [m.code for m in matters],
        "bundles": [b.code for b in bundles],
        "description": description,
    }
    audit_record(
        stream=reform_stream(reform.pk),
        action="analytics.reform_recorded",
        target_type=TARGET_TYPE,
        target_id=reform.pk,
        actor=actor,
        organisation=organisation,
        changes=changes,
    )
    return reform
