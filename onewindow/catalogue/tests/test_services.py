"""Catalogue services: versions, publication, bundles; each write audited."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import replace

import pytest
import time_machine
from django.db import connection

from onewindow.audit.models import Event
from onewindow.catalogue import services
from onewindow.catalogue.domain import FieldKind, FieldSpec, MaterialSpec, MatterContent, fields_to_schema
from onewindow.catalogue.models import Matter, MatterVersion, StageMatter, VersionStatus
from onewindow.catalogue.services import StageSpec
from onewindow.catalogue.tests.factories import (
    BundleVersionFactory,
    DepartmentFactory,
    MaterialFactory,
    MatterVersionFactory,
    StageFactory,
    StageMatterFactory,
    system_admin,
)
from onewindow.errors import DomainError
from onewindow.orgs.models import Organisation, User

pytestmark = pytest.mark.django_db

CONTENT = MatterContent(
    name="建设工程规划许可证核发",
    category="行政许可",
    legal_basis="《中华人民共和国城乡规划法》第四十条",
    statutory_limit_days=20,
    promised_limit_days=5,
    online_level="full",
    max_visits=0,
    form_schema=fields_to_schema([FieldSpec(key="project_name", label="项目名称", kind=FieldKind.TEXT, required=True)]),
)
LICENCE = MaterialSpec(key="business_licence", name="营业执照", certificate_type="营业执照")


def events(stream: str, action: str) -> list[Event]:
    return list(Event.objects.filter(stream=stream, action=action).order_by("seq"))


@pytest.fixture
def admin() -> User:
    return system_admin()


@pytest.fixture
def department() -> Organisation:
    return DepartmentFactory.create(name="住房和城乡建设局")


def create(admin: User, department: Organisation, code: str = "330100-ZJ-001", **changes: object) -> MatterVersion:
    return services.matter_create(
        actor=admin, code=code, department=department, content=replace(CONTENT, **changes), materials=[LICENCE]
    )


# --- matters --------------------------------------------------------------------------------


def test_creating_a_matter_makes_a_first_draft_with_materials_and_search_words(admin, department) -> None:
    version = create(admin, department)
    assert version.number == 1
    assert version.status == VersionStatus.DRAFT
    assert [m.key for m in version.materials.all()] == ["business_licence"]
    assert {"规划", "许可证", "住房", "行政许可"} <= set(version.search_text.split())
    [event] = events(f"matter:{version.matter_id}", "catalogue.matter_draft_created")
    assert event.actor_id == admin.pk


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"promised_limit_days": 21}, "matter_promised_limit_days_invalid"),
        ({"max_visits": 3}, "matter_max_visits_invalid"),
        ({"category": "行政审批"}, "matter_bad_category"),
        (
            {"form_schema": fields_to_schema([FieldSpec(key="use", label="用途", kind=FieldKind.CHOICE)])},
            "form_schema_invalid",
        ),
    ],
)
def test_a_matter_breaking_a_rule_is_refused_and_nothing_is_written(admin, department, changes, code) -> None:
    with pytest.raises(DomainError) as refused:
        create(admin, department, **changes)
    assert refused.value.code == code
    assert not Matter.objects.exists()
    assert not Event.objects.filter(action__startswith="catalogue.").exists()


def test_a_duplicate_matter_code_is_refused(admin, department) -> None:
    create(admin, department)
    with pytest.raises(DomainError) as refused:
        create(admin, department)
    assert refused.value.code == "matter_code_taken"


def test_publishing_a_draft_sets_validity_and_is_audited(admin, department) -> None:
    draft = create(admin, department)
    with time_machine.travel(dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)):
        published = services.matter_version_publish(actor=admin, version=draft)
    assert published.status == VersionStatus.PUBLISHED
    assert published.valid_from == dt.date(2025, 3, 1)
    [event] = events(f"matter:{draft.matter_id}", "catalogue.matter_published")
    assert event.changes["status"] == ["draft", "published"]


def test_publishing_a_new_version_retires_the_previous_the_day_before(admin, department) -> None:
    first = services.matter_version_publish(
        actor=admin, version=create(admin, department), valid_from=dt.date(2025, 1, 1)
    )
    draft = services.matter_version_draft_from(actor=admin, version=first)
    services.matter_version_publish(actor=admin, version=draft, valid_from=dt.date(2025, 6, 1))
    first.refresh_from_db()
    assert first.status == VersionStatus.RETIRED
    assert first.valid_to == dt.date(2025, 5, 31)
    assert MatterVersion.objects.filter(matter=first.matter, status=VersionStatus.PUBLISHED).get().number == 2
    [retired] = events(f"matter:{first.matter_id}", "catalogue.matter_retired")
    assert retired.changes["replaced_by_number"] == 2


def test_a_published_version_is_never_edited(admin, department) -> None:
    published = services.matter_version_publish(actor=admin, version=create(admin, department))
    with pytest.raises(DomainError) as refused:
        services.matter_version_update(actor=admin, version=published, content=replace(CONTENT, name="改名"))
    assert refused.value.code == "version_not_editable"
    published.refresh_from_db()
    assert published.name == CONTENT.name
    with pytest.raises(DomainError):
        services.matter_version_publish(actor=admin, version=published)


def test_a_new_draft_copies_the_version_with_its_materials(admin, department) -> None:
    published = services.matter_version_publish(actor=admin, version=create(admin, department))
    draft = services.matter_version_draft_from(actor=admin, version=published)
    assert draft.number == 2
    assert draft.status == VersionStatus.DRAFT
    assert draft.name == published.name
    assert draft.form_schema == published.form_schema
    assert [m.key for m in draft.materials.all()] == ["business_licence"]
    assert published.materials.count() == 1
    with pytest.raises(DomainError) as refused:
        services.matter_version_draft_from(actor=admin, version=published)
    assert refused.value.code == "matter_draft_exists"


def test_editing_a_draft_records_old_and_new_values(admin, department) -> None:
    draft = create(admin, department)
    updated = services.matter_version_update(
        actor=admin, version=draft, content=replace(CONTENT, promised_limit_days=3, name="规划许可(新)")
    )
    assert updated.promised_limit_days == 3
    assert "新" in updated.search_text
    [event] = events(f"matter:{draft.matter_id}", "catalogue.matter_edited")
    assert event.changes["promised_limit_days"] == [5, 3]
    assert event.changes["name"] == [CONTENT.name, "规划许可(新)"]
    assert "legal_basis" not in event.changes


def test_editing_materials_replaces_them_and_is_audited(admin, department) -> None:
    draft = create(admin, department)
    plan = MaterialSpec(key="site_plan", name="总平面图", required=False)
    services.matter_version_update(actor=admin, version=draft, content=CONTENT, materials=[LICENCE, plan])
    assert [m.key for m in draft.materials.all()] == ["business_licence", "site_plan"]
    [event] = events(f"matter:{draft.matter_id}", "catalogue.matter_edited")
    assert [m["key"] for m in event.changes["materials"][1]] == ["business_licence", "site_plan"]


def test_an_edit_that_changes_nothing_records_nothing(admin, department) -> None:
    draft = create(admin, department)
    services.matter_version_update(actor=admin, version=draft, content=CONTENT)
    assert events(f"matter:{draft.matter_id}", "catalogue.matter_edited") == []


def test_retiring_a_matter_ends_its_published_version(admin, department) -> None:
    published = services.matter_version_publish(actor=admin, version=create(admin, department))
    services.matter_retire(actor=admin, matter=published.matter)
    published.refresh_from_db()
    assert published.status == VersionStatus.RETIRED
    assert published.valid_to is not None
    assert len(events(f"matter:{published.matter_id}", "catalogue.matter_retired")) == 1
    with pytest.raises(DomainError) as refused:
        services.matter_retire(actor=admin, matter=published.matter)
    assert refused.value.code == "matter_not_published"


# --- bundles --------------------------------------------------------------------------------


def two_published(admin: User, department: Organisation, second_form: FieldSpec | None = None) -> list[Matter]:
    first = services.matter_version_publish(actor=admin, version=create(admin, department, "M-1"))
    form = [second_form] if second_form else [FieldSpec(key="start_on", label="开工日期", kind=FieldKind.DATE)]
    second = create(admin, department, "M-2", name="建筑工程施工许可证核发", form_schema=fields_to_schema(form))
    second = services.matter_version_publish(actor=admin, version=second)
    return [first.matter, second.matter]


def make_bundle(admin: User, department: Organisation, matters: list[Matter]) -> object:
    return services.bundle_create(
        actor=admin,
        code="YJS-001",
        name="工程建设项目审批一件事",
        stages=[StageSpec(name="立项用地规划许可", lead_department=department, matters=matters)],
    )


def test_publishing_a_bundle_pins_versions_and_stores_the_unified_form(admin, department) -> None:
    matters = two_published(admin, department)
    draft = services.bundle_create(
        actor=admin,
        code="YJS-001",
        name="工程建设项目审批一件事",
        stages=[
            StageSpec(name="规划", lead_department=department, matters=[matters[0]]),
            StageSpec(name="施工", lead_department=department, matters=[matters[1]]),
        ],
    )
    published = services.bundle_version_publish(actor=admin, version=draft)
    assert published.status == VersionStatus.PUBLISHED
    assert published.unified_form_schema["x-order"] == ["project_name", "start_on"]
    pinned = StageMatter.objects.filter(stage__bundle_version=published).order_by("stage__position")
    assert [sm.matter_version.number for sm in pinned if sm.matter_version] == [1, 1]
    [event] = events(f"bundle:{published.bundle_id}", "catalogue.bundle_published")
    assert event.changes["matter_versions"] == {"M-1": 1, "M-2": 1}


def test_a_bundle_keeps_its_pinned_version_when_the_matter_moves_on(admin, department) -> None:
    matters = two_published(admin, department)
    bundle = services.bundle_version_publish(actor=admin, version=make_bundle(admin, department, matters))
    v1 = MatterVersion.objects.get(matter=matters[0], number=1)
    draft = services.matter_version_draft_from(actor=admin, version=v1)
    services.matter_version_publish(actor=admin, version=draft)
    pinned = StageMatter.objects.get(stage__bundle_version=bundle, matter=matters[0])
    assert pinned.matter_version == v1


def test_a_bundle_with_an_unpublished_matter_is_refused(admin, department) -> None:
    draft_only = create(admin, department, "M-9")
    bundle = make_bundle(admin, department, [draft_only.matter])
    with pytest.raises(DomainError) as refused:
        services.bundle_version_publish(actor=admin, version=bundle)
    assert refused.value.code == "bundle_matter_not_published"
    assert "M-9" in refused.value.message
    assert StageMatter.objects.get().matter_version is None


def test_a_bundle_whose_matters_define_one_field_differently_is_refused(admin, department) -> None:
    clash = FieldSpec(key="project_name", label="工程名称", kind=FieldKind.TEXT)
    matters = two_published(admin, department, second_form=clash)
    with pytest.raises(DomainError) as refused:
        services.bundle_version_publish(actor=admin, version=make_bundle(admin, department, matters))
    assert refused.value.code == "bundle_form_conflict"
    assert "project_name" in refused.value.message
    assert "建筑工程施工许可证核发" in refused.value.message
    assert not Event.objects.filter(action="catalogue.bundle_published").exists()


def test_a_bundle_stage_without_matters_is_refused(admin, department) -> None:
    with pytest.raises(DomainError) as refused:
        services.bundle_create(
            actor=admin, code="YJS-2", name="空", stages=[StageSpec(name="空阶段", lead_department=department)]
        )
    assert refused.value.code == "bundle_stage_empty"
    # A draft built by hand (e.g. in the admin) with an empty stage is refused at publication.
    version = BundleVersionFactory.create()
    StageFactory.create(bundle_version=version)
    with pytest.raises(DomainError) as refused:
        services.bundle_version_publish(actor=admin, version=version)
    assert refused.value.code == "bundle_stage_empty"


def test_republishing_a_bundle_retires_its_previous_version(admin, department) -> None:
    matters = two_published(admin, department)
    first = services.bundle_version_publish(actor=admin, version=make_bundle(admin, department, matters))
    second = services.bundle_version_draft_from(actor=admin, version=first)
    assert second.stages.get().stage_matters.count() == 2
    services.bundle_version_update(actor=admin, version=second, name="新名称")
    services.bundle_version_publish(actor=admin, version=second)
    first.refresh_from_db()
    assert first.status == VersionStatus.RETIRED
    assert len(events(f"bundle:{first.bundle_id}", "catalogue.bundle_edited")) == 1


def test_factories_make_versions_in_every_state() -> None:
    assert MatterVersionFactory.create(retired=True).status == VersionStatus.RETIRED
    material = MaterialFactory.create()
    assert material.version.status == VersionStatus.DRAFT
    assert StageMatterFactory.create().matter_version is None


# --- races ----------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_draft_copies_make_exactly_one_draft() -> None:
    admin = system_admin()
    department = DepartmentFactory.create()
    published = services.matter_version_publish(actor=admin, version=create(admin, department))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def copy() -> None:
        barrier.wait()
        try:
            services.matter_version_draft_from(actor=admin, version=published)
            outcomes.append("ok")
        except DomainError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=copy) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["matter_draft_exists", "ok"]
    assert MatterVersion.objects.filter(matter=published.matter, status=VersionStatus.DRAFT).count() == 1
