"""Writes of bundles (一件事) and their versions: create, copy into a draft, edit a draft, publish
(pinning each matter's published version and storing the unified form), retire."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onewindow.catalogue import domain
from onewindow.catalogue.domain import CatalogueRuleError
from onewindow.catalogue.models import Bundle, BundleVersion, Matter, MatterVersion, Stage, StageMatter, VersionStatus
from onewindow.catalogue.services import stage_hooks
from onewindow.catalogue.services.versions import VersionLifecycle, refused
from onewindow.errors import Conflict, DomainError
from onewindow.orgs.models import Organisation, User

lifecycle: VersionLifecycle[Bundle, BundleVersion] = VersionLifecycle(
    owner_model=Bundle,
    version_model=BundleVersion,
    owner_field="bundle",
    draft_exists=gettext_lazy("该主题已有草稿（第%(number)s版）"),
    not_published=gettext_lazy("该主题没有已发布的版本，无需废止"),
)


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


# Where a draft's stages wait while their successors are written (positions are unique in a version).
_REPLACED_POSITIONS = 1000


def _write_stages(
    version: BundleVersion, stages: Sequence[StageSpec], actor: User | None, copied: Sequence[Stage] = ()
) -> None:
    """Write `stages` in place of the version's own. Each new stage takes on what other apps keep on the stage
    of the same name (`stage_hooks`): in the stages `copied` from another version, else in those it replaces."""
    replaced = list(version.stages.order_by("position"))
    version.stages.update(position=F("position") + _REPLACED_POSITIONS)
    sources: dict[str, Stage] = {}
    for earlier in copied or replaced:
        sources.setdefault(earlier.name, earlier)
    for position, spec in enumerate(stages, start=1):
        stage = Stage.objects.create(
            bundle_version=version, position=position, name=spec.name, lead_department=spec.lead_department
        )
        StageMatter.objects.bulk_create([StageMatter(stage=stage, matter=matter) for matter in spec.matters])
        if (source := sources.pop(spec.name, None)) is not None:
            stage_hooks.stage_carried(source, stage, actor)
    Stage.objects.filter(pk__in=[stage.pk for stage in replaced]).delete()


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
    _write_stages(version, stages, actor)
    changes = {"code": code, "number": 1, "name": name, "stages": stages_summary(stages)}
    lifecycle.audit(bundle, "draft_created", version, actor, changes)
    return version


@transaction.atomic
def bundle_version_draft_from(*, actor: User | None, version: BundleVersion) -> BundleVersion:
    """A new draft copying `version` and its stages (with what other apps keep on them)."""

    def copy(bundle: Bundle, source: BundleVersion, number: int) -> BundleVersion:
        draft = BundleVersion.objects.create(
            bundle=bundle, number=number, name=source.name, description=source.description
        )
        _write_stages(draft, stages_of(source), actor, copied=list(source.stages.order_by("position")))
        return draft

    return lifecycle.draft_from(version, actor, copy)


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
    bundle, locked = lifecycle.lock_draft(version)
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
            _write_stages(locked, stages, actor)
    if not changes:
        return locked
    locked.name = name
    locked.description = locked.description if description is None else description
    locked.save(update_fields=["name", "description"])
    lifecycle.audit(bundle, "edited", locked, actor, changes)
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
    bundle, locked = lifecycle.lock_draft(version)
    pinned = _pin_matters(locked)
    try:
        locked.unified_form_schema = domain.merge_form_schemas([(v.name, v.form_schema) for v in pinned])
    except CatalogueRuleError as error:
        raise refused(error) from error
    valid_from = valid_from or timezone.localdate()
    previous = lifecycle.replace_published(bundle, valid_from)
    locked.search_text = domain.bundle_search_text(
        name=locked.name,
        description=locked.description,
        stage_names=locked.stages.order_by("position").values_list("name", flat=True),
        matter_names=[v.name for v in pinned],
    )
    lifecycle.mark_published(locked, valid_from, "unified_form_schema", "search_text")
    changes = {
        "status": [VersionStatus.DRAFT.value, VersionStatus.PUBLISHED.value],
        "number": locked.number,
        "valid_from": valid_from.isoformat(),
        "matter_versions": {v.matter.code: v.number for v in pinned},
        "replaces_number": previous.number if previous else None,
    }
    lifecycle.audit(bundle, "published", locked, actor, changes)
    return locked


@transaction.atomic
def bundle_retire(*, actor: User | None, bundle: Bundle, valid_to: dt.date | None = None) -> BundleVersion:
    locked = lifecycle.lock_owner(bundle.pk)
    current = lifecycle.retire_published(locked, valid_to)
    changes = {"status": [VersionStatus.PUBLISHED.value, VersionStatus.RETIRED.value], "number": current.number}
    lifecycle.audit(locked, "retired", current, actor, changes)
    return current
