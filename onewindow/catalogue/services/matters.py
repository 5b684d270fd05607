"""Writes of matters and their versions: create, copy into a draft, edit a draft, publish, retire."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onewindow.catalogue import domain
from onewindow.catalogue.domain import CatalogueRuleError, MaterialSpec, MatterContent
from onewindow.catalogue.models import Category, Material, Matter, MatterVersion, OnlineLevel, VersionStatus
from onewindow.catalogue.services.versions import VersionLifecycle, refused
from onewindow.errors import Conflict, DomainError
from onewindow.orgs.models import Organisation, User

lifecycle: VersionLifecycle[Matter, MatterVersion] = VersionLifecycle(
    owner_model=Matter,
    version_model=MatterVersion,
    owner_field="matter",
    owner_related=("department",),
    draft_exists=gettext_lazy("该事项已有草稿（第%(number)s版），请直接编辑该草稿"),
    not_published=gettext_lazy("该事项没有已发布的版本，无需废止"),
)


# ---------------------------------------------------------------------------------------------
# Reading a version as plain data


def matter_content_of(version: MatterVersion) -> MatterContent:
    return MatterContent(**{name: getattr(version, name) for name in domain.MATTER_CONTENT_FIELDS})


def materials_of(version: MatterVersion) -> list[MaterialSpec]:
    return [
        MaterialSpec(
            key=m.key,
            name=m.name,
            required=m.required,
            form=m.form,
            deferrable=m.deferrable,
            certificate_type=m.certificate_type,
            copies=m.copies,
        )
        for m in version.materials.all()
    ]


# ---------------------------------------------------------------------------------------------
# Validation shared by create, update and publish


def matter_content_check(content: MatterContent, materials: Sequence[MaterialSpec]) -> None:
    """Every rule a matter version must satisfy, or DomainError with the first problem."""
    if not content.name.strip():
        raise DomainError(_("请填写事项名称"), code="matter_name_missing", field="name")
    if content.category not in Category.values:
        raise DomainError(
            _("事项类型“%(category)s”不在目录中") % {"category": content.category},
            code="matter_bad_category",
            field="category",
        )
    if content.online_level not in OnlineLevel.values:
        raise DomainError(_("网办深度只能是全程网办、网上受理或窗口办理"), code="matter_bad_online_level")
    try:
        domain.check_limits(
            statutory_days=content.statutory_limit_days,
            promised_days=content.promised_limit_days,
            max_visits=content.max_visits,
        )
        domain.check_schema(content.form_schema)
        domain.check_review_rules(
            required_signoffs=content.required_signoffs, rectification_days=content.rectification_days
        )
    except CatalogueRuleError as error:
        raise refused(error) from error
    problems = domain.materials_problems(materials)
    if problems:
        raise DomainError(problems[0], code="matter_materials_invalid", field="materials")


def _write_version(version: MatterVersion, content: MatterContent, department: Organisation) -> None:
    for name in domain.MATTER_CONTENT_FIELDS:
        setattr(version, name, getattr(content, name))
    version.form_schema = dict(content.form_schema)
    version.search_text = domain.matter_search_text(
        name=version.name, department_name=department.name, category=version.category
    )
    version.save()


def _write_materials(version: MatterVersion, materials: Sequence[MaterialSpec]) -> None:
    version.materials.all().delete()
    Material.objects.bulk_create(
        [Material(version=version, position=index, **asdict(m)) for index, m in enumerate(materials)]
    )


def _materials_summary(materials: Sequence[MaterialSpec]) -> list[dict[str, Any]]:
    return [asdict(m) for m in materials]


# ---------------------------------------------------------------------------------------------
# The use cases


@transaction.atomic
def matter_create(
    *,
    actor: User | None,
    code: str,
    department: Organisation,
    content: MatterContent,
    materials: Sequence[MaterialSpec] = (),
) -> MatterVersion:
    """A new matter with its first version, a draft."""
    if department.kind != Organisation.Kind.DEPARTMENT:
        raise DomainError(_("实施部门必须是部门"), code="matter_department_not_department", field="department")
    if not code.strip():
        raise DomainError(_("请填写事项编码"), code="matter_code_missing", field="code")
    if Matter.objects.filter(code=code).exists():
        raise Conflict(_("事项编码“%(code)s”已存在") % {"code": code}, code="matter_code_taken")
    materials = domain.with_commitment_letter(materials, commitment_allowed=content.commitment_allowed)
    matter_content_check(content, materials)
    matter = Matter.objects.create(code=code, department=department)
    version = MatterVersion(matter=matter, number=1, status=VersionStatus.DRAFT)
    _write_version(version, content, department)
    _write_materials(version, materials)
    lifecycle.audit(matter, "draft_created", version, actor, {"code": code, "number": 1, "name": content.name})
    return version


@transaction.atomic
def matter_version_draft_from(*, actor: User | None, version: MatterVersion) -> MatterVersion:
    """A new draft copying `version` and its materials: how a published matter is edited."""
    return lifecycle.draft_from(version, actor, _copy)


def _copy(matter: Matter, source: MatterVersion, number: int) -> MatterVersion:
    draft = MatterVersion(matter=matter, number=number, status=VersionStatus.DRAFT)
    _write_version(draft, matter_content_of(source), matter.department)
    _write_materials(draft, materials_of(source))
    return draft


@transaction.atomic
def matter_version_update(
    *,
    actor: User | None,
    version: MatterVersion,
    content: MatterContent,
    materials: Sequence[MaterialSpec] | None = None,
) -> MatterVersion:
    """Replace what a draft says (and its materials, when given). Published versions are refused."""
    matter, locked = lifecycle.lock_draft(version)
    old_materials = materials_of(locked)
    new_materials = domain.with_commitment_letter(
        old_materials if materials is None else materials, commitment_allowed=content.commitment_allowed
    )
    matter_content_check(content, new_materials)
    changes: dict[str, Any] = domain.content_changes(matter_content_of(locked), content)
    if new_materials != old_materials:
        changes["materials"] = [_materials_summary(old_materials), _materials_summary(new_materials)]
    if not changes:
        return locked
    _write_version(locked, content, matter.department)
    if new_materials != old_materials:
        _write_materials(locked, new_materials)
    lifecycle.audit(matter, "edited", locked, actor, changes)
    return locked


@transaction.atomic
def matter_version_publish(
    *, actor: User | None, version: MatterVersion, valid_from: dt.date | None = None
) -> MatterVersion:
    """Publish a draft; the version it replaces is retired the day before `valid_from` (default today)."""
    matter, locked = lifecycle.lock_draft(version)
    matter_content_check(matter_content_of(locked), materials_of(locked))
    valid_from = valid_from or timezone.localdate()
    previous = lifecycle.replace_published(matter, valid_from)
    if previous is not None:
        _audit_retired(actor, matter, previous, replaced_by=locked.number)
    lifecycle.mark_published(locked, valid_from)
    changes = {
        "status": [VersionStatus.DRAFT.value, VersionStatus.PUBLISHED.value],
        "number": locked.number,
        "valid_from": valid_from.isoformat(),
        "replaces_number": previous.number if previous else None,
    }
    lifecycle.audit(matter, "published", locked, actor, changes)
    return locked


def _audit_retired(
    actor: User | None, matter: Matter, version: MatterVersion, *, replaced_by: int | None = None
) -> None:
    changes = {
        "status": [VersionStatus.PUBLISHED.value, VersionStatus.RETIRED.value],
        "number": version.number,
        "valid_to": version.valid_to.isoformat() if version.valid_to else None,
        "replaced_by_number": replaced_by,
    }
    lifecycle.audit(matter, "retired", version, actor, changes)


@transaction.atomic
def matter_retire(*, actor: User | None, matter: Matter, valid_to: dt.date | None = None) -> MatterVersion:
    """Withdraw a matter: its published version is retired, valid until `valid_to` (default today)."""
    locked = lifecycle.lock_owner(matter.pk)
    current = lifecycle.retire_published(locked, valid_to)
    _audit_retired(actor, locked, current)
    return current
