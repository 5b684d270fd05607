"""factory_boy factories for the catalogue (also used by the read side's tests).

DepartmentFactory()                      a department under a city region
MatterFactory(department=...)            a matter identity
MatterVersionFactory(published=True)     a version (draft by default; traits published / retired)
MaterialFactory(version=...)
BundleFactory / BundleVersionFactory / StageFactory / StageMatterFactory
make_published_bundle(matters=[...])     a published bundle whose stages pin the published versions
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from factory.declarations import LazyAttribute, LazyFunction, SubFactory, Trait
from factory.declarations import Sequence as Seq
from factory.django import DjangoModelFactory

from onewindow.catalogue.domain import (
    FieldKind,
    FieldSpec,
    bundle_search_text,
    fields_to_schema,
    matter_search_text,
    merge_form_schemas,
)
from onewindow.catalogue.models import (
    Bundle,
    BundleVersion,
    Category,
    Material,
    MaterialForm,
    Matter,
    MatterVersion,
    OnlineLevel,
    Stage,
    StageMatter,
    Synonym,
    SynonymGroup,
    VersionStatus,
)
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Membership, Organisation, User


class RegionFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    kind = Organisation.Kind.REGION
    level = Organisation.Level.CITY
    code = Seq(lambda n: f"CR{n:05d}")
    name = Seq(lambda n: f"测试市{n}")
    parent: Any = None
    path = LazyAttribute(lambda o: f"{o.parent.path if o.parent else '/'}{o.code}/")
    depth = LazyAttribute(lambda o: o.path.count("/") - 2)


class DepartmentFactory(RegionFactory):
    """A department (kind department) under a region; `parent` defaults to a fresh city."""

    kind = Organisation.Kind.DEPARTMENT
    level = Organisation.Level.DEPARTMENT
    code = Seq(lambda n: f"CD{n:05d}")
    name = Seq(lambda n: f"测试局{n}")
    parent = SubFactory(RegionFactory)


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = Seq(lambda n: f"catalogue-user{n}")
    name = Seq(lambda n: f"用户{n}")


def system_admin(**kwargs: Any) -> User:
    """A user holding SYSTEM_ADMIN (who keeps the catalogue) at a fresh city."""
    user = UserFactory.create(**kwargs)
    Membership.objects.create(user=user, organisation=RegionFactory.create(), role=Role.SYSTEM_ADMIN)
    return user


class MatterFactory(DjangoModelFactory[Matter]):
    class Meta:
        model = Matter

    code = Seq(lambda n: f"330100-ZJ-{n:03d}")
    department = SubFactory(DepartmentFactory)


class MatterVersionFactory(DjangoModelFactory[MatterVersion]):
    """A draft version by default; `published=True` or `retired=True` for the other states."""

    class Meta:
        model = MatterVersion
        skip_postgeneration_save = True

    class Params:
        published = Trait(
            status=VersionStatus.PUBLISHED,
            valid_from=LazyFunction(lambda: timezone.localdate()),
            published_at=LazyFunction(timezone.now),
        )
        retired = Trait(
            status=VersionStatus.RETIRED,
            valid_from=LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30)),
            valid_to=LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=1)),
            published_at=LazyFunction(lambda: timezone.now() - dt.timedelta(days=30)),
        )

    matter = SubFactory(MatterFactory)
    number = LazyAttribute(lambda o: o.matter.versions.count() + 1)
    status = VersionStatus.DRAFT
    name = Seq(lambda n: f"建设工程规划许可证核发{n}")
    category = Category.LICENSING
    legal_basis = "《中华人民共和国城乡规划法》第四十条"
    statutory_limit_days = 20
    promised_limit_days = 5
    online_level = OnlineLevel.FULLY_ONLINE
    max_visits = 0
    commitment_allowed = False
    fee_description = "不收费"
    conditions = ""
    location = "市民中心 A 区"
    form_schema = LazyFunction(
        lambda: fields_to_schema(
            [
                FieldSpec(key="project_name", label="项目名称", kind=FieldKind.TEXT, required=True),
            ]
        )
    )
    # As the services keep it: the words of name + department name + category.
    search_text = LazyAttribute(
        lambda o: matter_search_text(name=o.name, department_name=o.matter.department.name, category=o.category)
    )


class MaterialFactory(DjangoModelFactory[Material]):
    class Meta:
        model = Material

    version = SubFactory(MatterVersionFactory)
    position = Seq(lambda n: n)
    key = Seq(lambda n: f"material_{n}")
    name = Seq(lambda n: f"申请材料{n}")
    required = True
    form = MaterialForm.ORIGINAL
    deferrable = False
    certificate_type = ""
    copies = 1


class BundleFactory(DjangoModelFactory[Bundle]):
    class Meta:
        model = Bundle

    code = Seq(lambda n: f"YJS-{n:03d}")


class BundleVersionFactory(DjangoModelFactory[BundleVersion]):
    class Meta:
        model = BundleVersion

    class Params:
        published = Trait(
            status=VersionStatus.PUBLISHED,
            valid_from=LazyFunction(lambda: timezone.localdate()),
            published_at=LazyFunction(timezone.now),
        )

    bundle = SubFactory(BundleFactory)
    number = LazyAttribute(lambda o: o.bundle.versions.count() + 1)
    status = VersionStatus.DRAFT
    name = Seq(lambda n: f"开办企业一件事{n}")
    description = ""


class StageFactory(DjangoModelFactory[Stage]):
    class Meta:
        model = Stage

    bundle_version = SubFactory(BundleVersionFactory)
    position = Seq(lambda n: n + 1)
    name = Seq(lambda n: f"阶段{n}")
    lead_department = SubFactory(DepartmentFactory)


class StageMatterFactory(DjangoModelFactory[StageMatter]):
    class Meta:
        model = StageMatter

    stage = SubFactory(StageFactory)
    matter = SubFactory(MatterFactory)
    matter_version = None


def make_published_matter(**version_kwargs: Any) -> MatterVersion:
    """A matter with one published version (and one required material)."""
    version = MatterVersionFactory.create(published=True, **version_kwargs)
    MaterialFactory.create(version=version, key="business_licence", name="营业执照")
    return version


def make_published_bundle(
    *,
    versions: Sequence[MatterVersion] | None = None,
    stages: int = 2,
    name: str = "开办企业一件事",
    description: str = "",
) -> BundleVersion:
    """A published bundle: `stages` stages, the given published matter versions spread over them.

    Without `versions`, one fresh published matter per stage. Each StageMatter pins its version and
    the unified form is the merge of their forms and the search words are those of its name, description,
    stages and matters (as bundle_version_publish would store them).
    """
    if versions is None:
        versions = [make_published_matter() for _ in range(stages)]
    bundle_version = BundleVersionFactory.create(published=True, name=name, description=description)
    stage_count = max(1, min(stages, len(versions)))
    stage_objects = [
        StageFactory.create(
            bundle_version=bundle_version,
            position=i + 1,
            name=f"第{i + 1}阶段",
            lead_department=versions[i].matter.department,
        )
        for i in range(stage_count)
    ]
    for index, version in enumerate(versions):
        StageMatterFactory.create(
            stage=stage_objects[index % stage_count], matter=version.matter, matter_version=version
        )
    bundle_version.unified_form_schema = merge_form_schemas([(v.name, v.form_schema) for v in versions])
    bundle_version.search_text = bundle_search_text(
        name=name,
        description=description,
        stage_names=[stage.name for stage in stage_objects],
        matter_names=[v.name for v in versions],
    )
    bundle_version.save(update_fields=["unified_form_schema", "search_text"])
    return bundle_version


def make_synonyms(*words: str) -> SynonymGroup:
    """A group of the synonym table, as the admin would save it (words already normalised)."""
    group = SynonymGroup.objects.create()
    Synonym.objects.bulk_create([Synonym(group=group, word=word, position=i) for i, word in enumerate(words)])
    return group
