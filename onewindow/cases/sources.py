"""What a case applies for (its source): one matter version or one bundle version, read through a cache.

A published catalogue version is never edited, only retired (catalogue.services), so what a case reads
of it (stages, pinned matter versions, materials, the lead department) can be kept in the process:
submission, acceptance and the joint decision then read no catalogue rows. The status is always
checked on the version row the caller loaded, never from the cache. Any save or delete of a
catalogue row or an organisation empties the cache of the process that saved it (a draft being
built, a department renamed); other processes reload an entry after five minutes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.db.models.signals import post_delete, post_save

from onewindow.cases.models import Case
from onewindow.catalogue.domain import MergedMaterial, merge_materials
from onewindow.catalogue.models import (
    BundleVersion,
    Material,
    Matter,
    MatterVersion,
    Stage,
    StageMatter,
    VersionStatus,
)
from onewindow.errors import DomainError
from onewindow.orgs.models import Organisation


@dataclass(frozen=True)
class Source:
    title: str
    form_schema: Mapping[str, Any]
    materials: list[MergedMaterial]
    matters: list[tuple[MatterVersion, int]]  # (version, stage number 1..n)
    lead_department: Organisation  # of the first stage (the single matter's department)
    deciding_department: Organisation  # records the joint decision: the lead of the last stage

    def matter_version(self, pk: int) -> MatterVersion:
        return next(version for version, _ in self.matters if version.pk == pk)


_cache: dict[tuple[str, int], tuple[float, Source]] = {}
_cache_lock = threading.Lock()
_CACHE_SIZE = 2000
# Another process's save empties only its own cache: an organisation renamed there shows here
# after at most this long (published versions themselves never change).
_CACHE_SECONDS = 300.0


def source_of(
    *, matter_version: MatterVersion | None, bundle_version: BundleVersion | None, published: bool = True
) -> Source:
    """The matters, unified form and merged materials of what is applied for."""
    if (matter_version is None) == (bundle_version is None):
        raise DomainError("请选择一个事项或一个一件事主题", code="matter_or_bundle_required")
    version: MatterVersion | BundleVersion = matter_version or bundle_version  # type: ignore[assignment]
    if published and version.status != VersionStatus.PUBLISHED:
        raise DomainError("该事项版本未发布或已废止，请按最新版本重新申报", code="version_not_published")
    if bundle_version is not None:
        return _cached(("bundle", bundle_version.pk), lambda: _bundle_source(bundle_version))
    assert matter_version is not None
    return _cached(("matter", matter_version.pk), lambda: _matter_source(matter_version.pk))


def case_source(case: Case) -> Source:
    """The source of an existing case, as filed (its versions may be retired since)."""
    bundle_id, matter_id = case.bundle_version_id, case.matter_version_id
    if bundle_id is not None:
        return _cached(("bundle", bundle_id), lambda: _bundle_source(BundleVersion.objects.get(pk=bundle_id)))
    assert matter_id is not None
    return _cached(("matter", matter_id), lambda: _matter_source(matter_id))


def sources_clear_cache(**_: Any) -> None:
    with _cache_lock:
        _cache.clear()


def _cached(key: tuple[str, int], load: Any) -> Source:
    now = time.monotonic()
    found = _cache.get(key)
    if found is not None and now - found[0] < _CACHE_SECONDS:
        return found[1]
    source: Source = load()
    with _cache_lock:
        if len(_cache) >= _CACHE_SIZE:
            _cache.clear()
        _cache[key] = (now, source)
    return source


def _matter_source(pk: int) -> Source:
    version = (
        MatterVersion.objects.select_related("matter__department__parent").prefetch_related("materials").get(pk=pk)
    )
    materials = merge_materials([(version.name, version.materials.all())])
    department = version.matter.department
    return Source(version.name, version.form_schema, materials, [(version, 1)], department, department)


def _bundle_source(bundle_version: BundleVersion) -> Source:
    stage_matters = StageMatter.objects.select_related("matter_version__matter__department__parent")
    stages = list(
        bundle_version.stages.select_related("lead_department__parent").prefetch_related(
            Prefetch("stage_matters", queryset=stage_matters), "stage_matters__matter_version__materials"
        )
    )
    matters = [
        (stage_matter.matter_version, number)
        for number, stage in enumerate(stages, start=1)
        for stage_matter in stage.stage_matters.all()
        if stage_matter.matter_version is not None
    ]
    if not matters:
        raise DomainError("该一件事没有可办理的事项", code="bundle_without_matters")
    materials = merge_materials([(v.name, v.materials.all()) for v, _ in matters])
    lead, decider = stages[0].lead_department, stages[-1].lead_department
    return Source(bundle_version.name, bundle_version.unified_form_schema, materials, matters, lead, decider)


def connect_signals() -> None:
    """Empty the cache whenever a catalogue row or an organisation is saved or deleted (see apps.py)."""
    for model in (Matter, MatterVersion, Material, BundleVersion, Stage, StageMatter, Organisation):
        post_save.connect(sources_clear_cache, sender=model, dispatch_uid=f"cases.sources.{model.__name__}.save")
        post_delete.connect(sources_clear_cache, sender=model, dispatch_uid=f"cases.sources.{model.__name__}.delete")
