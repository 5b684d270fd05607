"""Writes to the catalogue. Each use case is one transaction with its audit event inside.

A published version never changes: edits go to a draft (`matter_version_draft_from` copies a
version with its materials), and publishing a draft retires the version it replaces.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.audit.services import audit_record
from onewindow.catalogue import domain
from onewindow.catalogue.domain import CatalogueRuleError, MaterialSpec, MatterContent
from onewindow.catalogue.models import (
    Bundle,
    BundleVersion,
    Category,
    Material,
    Matter,
    MatterVersion,
    OnlineLevel,
    Stage,
    StageMatter,
    VersionStatus,
)
from onewindow.errors import Conflict, DomainError
from onewindow.orgs.models import Organisation, User


def _refused(error: CatalogueRuleError) -> DomainError:
    return DomainError(error.message, code=error.code, field=error.field)


def _matter_stream(matter: Matter) -> str:
    return f"matter:{matter.pk}"


def _bundle_stream(bundle: Bundle) -> str:
    return f"bundle:{bundle.pk}"


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
        raise _refused(error) from error
    problems = domain.materials_problems(materials)
    if problems:
        raise DomainError(problems[0], code="matter_materials_invalid", field="materials")


def _search_text(version: MatterVersion, department: Organisation) -> str:
    return domain.matter_search_text(name=version.name, department_name=department.name, category=version.category)


def _write_version(version: MatterVersion, content: MatterContent, department: Organisation) -> None:
    for name in domain.MATTER_CONTENT_FIELDS:
        setattr(version, name, getattr(content, name))
    version.form_schema = dict(content.form_schema)
    version.search_text = _search_text(version, department)
    version.save()


def _write_materials(version: MatterVersion, materials: Sequence[MaterialSpec]) -> None:
    version.materials.all().delete()
    Material.objects.bulk_create(
        [Material(version=version, position=index, **asdict(m)) for index, m in enumerate(materials)]
    )


# ---------------------------------------------------------------------------------------------
# Matters


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
    audit_record(
        stream=_matter_stream(matter),
        action="catalogue.matter_draft_created",
        target_type="catalogue.matterversion",
        target_id=version.pk,
        actor=actor,
        changes={"code": code, "number": 1, "name": content.name},
    )
    return version


def _lock_matter(matter_id: int) -> Matter:
    return Matter.objects.select_for_update().select_related("department").get(pk=matter_id)


@transaction.atomic
def matter_version_draft_from(*, actor: User | None, version: MatterVersion) -> MatterVersion:
    """A new draft copying `version` and its materials: how a published matter is edited."""
    matter = _lock_matter(version.matter_id)
    existing = matter.versions.filter(status=VersionStatus.DRAFT).first()
    if existing is not None:
        raise Conflict(
            _("该事项已有草稿（第%(number)s版），请直接编辑该草稿") % {"number": existing.number},
            code="matter_draft_exists",
        )
    source = MatterVersion.objects.get(pk=version.pk)
    number = (matter.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    draft = MatterVersion(matter=matter, number=number, status=VersionStatus.DRAFT)
    _write_version(draft, matter_content_of(source), matter.department)
    _write_materials(draft, materials_of(source))
    audit_record(
        stream=_matter_stream(matter),
        action="catalogue.matter_draft_created",
        target_type="catalogue.matterversion",
        target_id=draft.pk,
        actor=actor,
        changes={"number": number, "from_number": source.number},
    )
    return draft


def _lock_draft(version: MatterVersion) -> tuple[Matter, MatterVersion]:
    matter = _lock_matter(version.matter_id)
    locked = MatterVersion.objects.get(pk=version.pk)
    try:
        domain.check_editable(locked.status)
    except CatalogueRuleError as error:
        raise Conflict(error.message, code=error.code) from error
    return matter, locked


def _materials_summary(materials: Sequence[MaterialSpec]) -> list[dict[str, Any]]:
    return [asdict(m) for m in materials]


@transaction.atomic
def matter_version_update(
    *,
    actor: User | None,
    version: MatterVersion,
    content: MatterContent,
    materials: Sequence[MaterialSpec] | None = None,
) -> MatterVersion:
    """Replace what a draft says (and its materials, when given). Published versions are refused."""
    matter, locked = _lock_draft(version)
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
    audit_record(
        stream=_matter_stream(matter),
        action="catalogue.matter_edited",
        target_type="catalogue.matterversion",
        target_id=locked.pk,
        actor=actor,
        changes=changes,
    )
    return locked


def _retire(version: MatterVersion | BundleVersion, valid_to: dt.date) -> None:
    version.status = VersionStatus.RETIRED
    version.valid_to = valid_to
    version.save(update_fields=["status", "valid_to"])


def _check_valid_from(previous: MatterVersion | BundleVersion | None, valid_from: dt.date) -> None:
    if previous is not None and previous.valid_from and valid_from < previous.valid_from:
        raise DomainError(
            _("生效日期不能早于现行版本的生效日期（%(date)s）") % {"date": f"{previous.valid_from:%Y-%m-%d}"},
            code="version_valid_from_too_early",
            field="valid_from",
        )


@transaction.atomic
def matter_version_publish(
    *, actor: User | None, version: MatterVersion, valid_from: dt.date | None = None
) -> MatterVersion:
    """Publish a draft; the version it replaces is retired the day before `valid_from` (default today)."""
    matter, locked = _lock_draft(version)
    matter_content_check(matter_content_of(locked), materials_of(locked))
    valid_from = valid_from or timezone.localdate()
    previous = matter.versions.filter(status=VersionStatus.PUBLISHED).first()
    _check_valid_from(previous, valid_from)
    if previous is not None:
        _retire(previous, domain.previous_valid_to(valid_from))
        _audit_matter_retired(actor, matter, previous, replaced_by=locked.number)
    locked.status = VersionStatus.PUBLISHED
    locked.valid_from = valid_from
    locked.published_at = timezone.now()
    locked.save(update_fields=["status", "valid_from", "published_at"])
    audit_record(
        stream=_matter_stream(matter),
        action="catalogue.matter_published",
        target_type="catalogue.matterversion",
        target_id=locked.pk,
        actor=actor,
        changes={
            "status": [VersionStatus.DRAFT.value, VersionStatus.PUBLISHED.value],
            "number": locked.number,
            "valid_from": valid_from.isoformat(),
            "replaces_number": previous.number if previous else None,
        },
    )
    return locked


def _audit_matter_retired(
    actor: User | None, matter: Matter, version: MatterVersion, *, replaced_by: int | None = None
) -> None:
    audit_record(
        stream=_matter_stream(matter),
        action="catalogue.matter_retired",
        target_type="catalogue.matterversion",
        target_id=version.pk,
        actor=actor,
        changes={
            "status": [VersionStatus.PUBLISHED.value, VersionStatus.RETIRED.value],
            "number": version.number,
            "valid_to": version.valid_to.isoformat() if version.valid_to else None,
            "replaced_by_number": replaced_by,
        },
    )


@transaction.atomic
def matter_retire(*, actor: User | None, matter: Matter, valid_to: dt.date | None = None) -> MatterVersion:
    """Withdraw a matter: its published version is retired, valid until `valid_to` (default today)."""
    locked = _lock_matter(matter.pk)
    current = locked.versions.filter(status=VersionStatus.PUBLISHED).first()
    if current is None:
        raise Conflict(_("该事项没有已发布的版本，无需废止"), code="matter_not_published")
    valid_to = valid_to or timezone.localdate()
    if current.valid_from and valid_to < current.valid_from:
        raise DomainError(_("失效日期不能早于生效日期"), code="version_valid_to_too_early", field="valid_to")
    _retire(current, valid_to)
    _audit_matter_retired(actor, locked, current)
    return current


# ---------------------------------------------------------------------------------------------
# Bundles


@dataclass(frozen=True)
class StageSpec:
    name: str
    lead_department: Organisation
    matters: Sequence[Matter] = field(default_factory=tuple)


def _stages_check(stages: Sequence[StageSpec]) -> None:
    if not stages:
        raise DomainError(_("一件事至少要有一个阶段"), code="bundle_without_stages", field="stages")
    for position, stage in enumerate(stages, start=1):
        if not stage.matters:
            raise DomainError(
                _("第%(position)s阶段“%(name)s”没有事项") % {"position": position, "name": stage.name},
                code="bundle_stage_empty",
                field="stages",
            )
        if stage.lead_department.kind != Organisation.Kind.DEPARTMENT:
            raise DomainError(
                _("第%(position)s阶段的牵头单位必须是部门") % {"position": position}, code="bundle_lead_not_department"
            )
        codes = [m.code for m in stage.matters]
        if len(set(codes)) != len(codes):
            raise DomainError(
                _("第%(position)s阶段中有重复的事项") % {"position": position}, code="bundle_stage_duplicate_matter"
            )


def _write_stages(version: BundleVersion, stages: Sequence[StageSpec]) -> None:
    version.stages.all().delete()
    for position, spec in enumerate(stages, start=1):
        stage = Stage.objects.create(
            bundle_version=version, position=position, name=spec.name, lead_department=spec.lead_department
        )
        StageMatter.objects.bulk_create([StageMatter(stage=stage, matter=matter) for matter in spec.matters])


def stages_of(version: BundleVersion) -> list[StageSpec]:
    return [
        StageSpec(
            name=stage.name,
            lead_department=stage.lead_department,
            matters=tuple(sm.matter for sm in stage.stage_matters.order_by("pk").select_related("matter")),
        )
        for stage in version.stages.select_related("lead_department").order_by("position")
    ]


def stages_summary(stages: Sequence[StageSpec]) -> list[dict[str, Any]]:
    return [
        {"name": s.name, "lead_department": s.lead_department.code, "matters": [m.code for m in s.matters]}
        for s in stages
    ]


@transaction.atomic
def bundle_create(
    *, actor: User | None, code: str, name: str, stages: Sequence[StageSpec], description: str = ""
) -> BundleVersion:
    """A new bundle (一件事) with its first version, a draft."""
    if not code.strip() or not name.strip():
        raise DomainError(_("请填写主题编码和主题名称"), code="bundle_code_or_name_missing")
    if Bundle.objects.filter(code=code).exists():
        raise Conflict(_("主题编码“%(code)s”已存在") % {"code": code}, code="bundle_code_taken")
    _stages_check(stages)
    bundle = Bundle.objects.create(code=code)
    version = BundleVersion.objects.create(bundle=bundle, number=1, name=name, description=description)
    _write_stages(version, stages)
    audit_record(
        stream=_bundle_stream(bundle),
        action="catalogue.bundle_draft_created",
        target_type="catalogue.bundleversion",
        target_id=version.pk,
        actor=actor,
        changes={"code": code, "number": 1, "name": name, "stages": stages_summary(stages)},
    )
    return version


def _lock_bundle_draft(version: BundleVersion) -> tuple[Bundle, BundleVersion]:
    bundle = Bundle.objects.select_for_update().get(pk=version.bundle_id)
    locked = BundleVersion.objects.get(pk=version.pk)
    try:
        domain.check_editable(locked.status)
    except CatalogueRuleError as error:
        raise Conflict(error.message, code=error.code) from error
    return bundle, locked


@transaction.atomic
def bundle_version_draft_from(*, actor: User | None, version: BundleVersion) -> BundleVersion:
    bundle = Bundle.objects.select_for_update().get(pk=version.bundle_id)
    existing = bundle.versions.filter(status=VersionStatus.DRAFT).first()
    if existing is not None:
        raise Conflict(_("该主题已有草稿（第%(number)s版）") % {"number": existing.number}, code="bundle_draft_exists")
    source = BundleVersion.objects.get(pk=version.pk)
    number = (bundle.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    draft = BundleVersion.objects.create(bundle=bundle, number=number, name=source.name, description=source.description)
    _write_stages(draft, stages_of(source))
    audit_record(
        stream=_bundle_stream(bundle),
        action="catalogue.bundle_draft_created",
        target_type="catalogue.bundleversion",
        target_id=draft.pk,
        actor=actor,
        changes={"number": number, "from_number": source.number},
    )
    return draft


@transaction.atomic
def bundle_version_update(
    *,
    actor: User | None,
    version: BundleVersion,
    name: str,
    stages: Sequence[StageSpec] | None = None,
    description: str | None = None,
) -> BundleVersion:
    """Replace a draft bundle's name, description and (when given) its stages."""
    bundle, locked = _lock_bundle_draft(version)
    changes: dict[str, Any] = {}
    if name != locked.name:
        changes["name"] = [locked.name, name]
    if description is not None and description != locked.description:
        changes["description"] = [locked.description, description]
    old_stages = stages_summary(stages_of(locked))
    if stages is not None:
        _stages_check(stages)
        if stages_summary(stages) != old_stages:
            changes["stages"] = [old_stages, stages_summary(stages)]
            _write_stages(locked, stages)
    if not changes:
        return locked
    locked.name = name
    locked.description = locked.description if description is None else description
    locked.save(update_fields=["name", "description"])
    audit_record(
        stream=_bundle_stream(bundle),
        action="catalogue.bundle_edited",
        target_type="catalogue.bundleversion",
        target_id=locked.pk,
        actor=actor,
        changes=changes,
    )
    return locked


def _pin_matters(version: BundleVersion) -> list[MatterVersion]:
    """Pin every stage matter to its matter's published version; refuse when one has none."""
    pinned: list[MatterVersion] = []
    stages = list(version.stages.order_by("position"))
    if not stages:
        raise DomainError(_("一件事至少要有一个阶段"), code="bundle_without_stages")
    for stage in stages:
        stage_matters = list(stage.stage_matters.select_related("matter").order_by("pk"))
        if not stage_matters:
            raise DomainError(
                _("第%(position)s阶段“%(name)s”没有事项") % {"position": stage.position, "name": stage.name},
                code="bundle_stage_empty",
            )
        for stage_matter in stage_matters:
            current = stage_matter.matter.versions.filter(status=VersionStatus.PUBLISHED).first()
            if current is None:
                raise DomainError(
                    _("事项“%(code)s”没有已发布的版本，不能纳入一件事") % {"code": stage_matter.matter.code},
                    code="bundle_matter_not_published",
                )
            stage_matter.matter_version = current
            stage_matter.save(update_fields=["matter_version"])
            pinned.append(current)
    return pinned


@transaction.atomic
def bundle_version_publish(
    *, actor: User | None, version: BundleVersion, valid_from: dt.date | None = None
) -> BundleVersion:
    """Publish a draft bundle: pin each matter's published version and store the unified form."""
    bundle, locked = _lock_bundle_draft(version)
    pinned = _pin_matters(locked)
    try:
        unified = domain.merge_form_schemas([(v.name, v.form_schema) for v in pinned])
    except CatalogueRuleError as error:
        raise _refused(error) from error
    valid_from = valid_from or timezone.localdate()
    previous = bundle.versions.filter(status=VersionStatus.PUBLISHED).first()
    _check_valid_from(previous, valid_from)
    if previous is not None:
        _retire(previous, domain.previous_valid_to(valid_from))
    locked.status = VersionStatus.PUBLISHED
    locked.valid_from = valid_from
    locked.published_at = timezone.now()
    locked.unified_form_schema = unified
    locked.search_text = domain.bundle_search_text(
        name=locked.name,
        description=locked.description,
        stage_names=locked.stages.order_by("position").values_list("name", flat=True),
        matter_names=[v.name for v in pinned],
    )
    locked.save(update_fields=["status", "valid_from", "published_at", "unified_form_schema", "search_text"])
    audit_record(
        stream=_bundle_stream(bundle),
        action="catalogue.bundle_published",
        target_type="catalogue.bundleversion",
        target_id=locked.pk,
        actor=actor,
        changes={
            "status": [VersionStatus.DRAFT.value, VersionStatus.PUBLISHED.value],
            "number": locked.number,
            "valid_from": valid_from.isoformat(),
            "matter_versions": {v.matter.code: v.number for v in pinned},
            "replaces_number": previous.number if previous else None,
        },
    )
    return locked


@transaction.atomic
def bundle_retire(*, actor: User | None, bundle: Bundle, valid_to: dt.date | None = None) -> BundleVersion:
    locked = Bundle.objects.select_for_update().get(pk=bundle.pk)
    current = locked.versions.filter(status=VersionStatus.PUBLISHED).first()
    if current is None:
        raise Conflict(_("该主题没有已发布的版本，无需废止"), code="bundle_not_published")
    valid_to = valid_to or timezone.localdate()
    if current.valid_from and valid_to < current.valid_from:
        raise DomainError(_("失效日期不能早于生效日期"), code="version_valid_to_too_early", field="valid_to")
    _retire(current, valid_to)
    audit_record(
        stream=_bundle_stream(locked),
        action="catalogue.bundle_retired",
        target_type="catalogue.bundleversion",
        target_id=current.pk,
        actor=actor,
        changes={"status": [VersionStatus.PUBLISHED.value, VersionStatus.RETIRED.value], "number": current.number},
    )
    return current
