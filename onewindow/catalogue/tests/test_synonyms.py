"""The synonym table: kept by the system admin in the admin, audited, used by the next search."""

from __future__ import annotations

import pytest
from django.test import Client

from onewindow.audit.models import Event
from onewindow.catalogue import selectors_search
from onewindow.catalogue.models import Synonym, SynonymGroup
from onewindow.catalogue.services import synonyms as services_synonyms
from onewindow.catalogue.tests.factories import RegionFactory, UserFactory, make_synonyms, system_admin
from onewindow.catalogue.tests.test_selectors import build_catalogue
from onewindow.errors import Conflict, DomainError
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Membership, User

pytestmark = pytest.mark.django_db

SYNONYMS = "/admin/catalogue/synonymgroup/"


def words_of(group: SynonymGroup) -> list[str]:
    return list(group.synonyms.order_by("position").values_list("word", flat=True))


def names(query: str) -> list[str]:
    return [version.name for version in selectors_search.matter_search(query)]


# --- services -----------------------------------------------------------------------------------


def test_creating_editing_and_deleting_a_group_is_audited() -> None:
    keeper = system_admin()
    group = services_synonyms.synonym_group_create(actor=keeper, words=["开公司", "企业开办"], note="市民常用说法")
    created = Event.objects.get(stream=f"synonyms:{group.pk}", action="catalogue.synonyms_created")
    assert created.changes == {"words": ["开公司", "企业开办"], "note": "市民常用说法"}
    assert created.actor_id == keeper.pk

    services_synonyms.synonym_group_update(actor=keeper, group=group, words=["开公司", "设立公司"], note="市民常用说法")
    edited = Event.objects.get(stream=f"synonyms:{group.pk}", action="catalogue.synonyms_edited")
    assert edited.changes == {"words": [["开公司", "企业开办"], ["开公司", "设立公司"]]}
    assert words_of(group) == ["开公司", "设立公司"]

    services_synonyms.synonym_group_delete(actor=keeper, group=group)
    deleted = Event.objects.get(stream=f"synonyms:{group.pk}", action="catalogue.synonyms_deleted")
    assert deleted.changes["words"] == ["开公司", "设立公司"]
    assert not Synonym.objects.exists()


def test_saving_the_same_group_again_writes_nothing() -> None:
    group = services_synonyms.synonym_group_create(actor=None, words=["户口", "户籍"])
    services_synonyms.synonym_group_update(actor=None, group=group, words=["户口", "户籍"], note="")
    assert not Event.objects.filter(action="catalogue.synonyms_edited").exists()


def test_a_word_belongs_to_one_group_only() -> None:
    make_synonyms("营业执照", "设立登记")
    with pytest.raises(Conflict) as refused:
        services_synonyms.synonym_group_create(actor=None, words=["工商登记", "营业执照"])
    assert refused.value.code == "synonym_word_taken"
    assert "营业执照" in refused.value.message
    assert SynonymGroup.objects.count() == 1
    assert not Event.objects.filter(action="catalogue.synonyms_created").exists()


def test_words_are_normalised_and_a_group_that_cannot_work_is_refused() -> None:
    group = services_synonyms.synonym_group_create(actor=None, words=["ＩＣＰ许可", "icp许可", "电信业务经营许可"])
    assert words_of(group) == ["icp许可", "电信业务经营许可"]
    with pytest.raises(DomainError) as refused:
        services_synonyms.synonym_group_create(actor=None, words=["户", "户口"])
    assert refused.value.code == "synonym_word_length"


# --- the admin ----------------------------------------------------------------------------------


@pytest.fixture
def keeper(client: Client) -> User:
    user = system_admin()
    client.force_login(user)
    return user


def member(role: Role) -> User:
    user: User = UserFactory.create()
    Membership.objects.create(user=user, organisation=RegionFactory.create(), role=role)
    return user


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.SYSTEM_ADMIN, 200), (Role.SECURITY_ADMIN, 403), (Role.AUDIT_ADMIN, 403), (Role.CLERK, 302)],
)
def test_only_the_system_admin_opens_the_synonym_pages(client: Client, role: Role, status: int) -> None:
    group = make_synonyms("户口", "户籍")
    client.force_login(member(role))
    for url in (SYNONYMS, f"{SYNONYMS}add/", f"{SYNONYMS}{group.pk}/change/", f"{SYNONYMS}{group.pk}/delete/"):
        assert client.get(url).status_code == status, url


@pytest.mark.parametrize(("role", "status"), [(Role.AUDIT_ADMIN, 403), (Role.SECURITY_ADMIN, 403), (Role.CLERK, 302)])
def test_no_one_else_may_change_the_synonyms(client: Client, role: Role, status: int) -> None:
    group = make_synonyms("户口", "户籍")
    client.force_login(member(role))
    assert client.post(f"{SYNONYMS}add/", {"words": "开公司、企业开办", "note": ""}).status_code == status
    assert client.post(f"{SYNONYMS}{group.pk}/change/", {"words": "户口、落户", "note": ""}).status_code == status
    assert client.post(f"{SYNONYMS}{group.pk}/delete/", {"post": "yes"}).status_code == status
    assert list(SynonymGroup.objects.all()) == [group]
    assert words_of(group) == ["户口", "户籍"]
    assert not Event.objects.filter(action__startswith="catalogue.synonyms_").exists()


def test_a_synonym_added_in_the_admin_finds_a_matter_it_did_not_find_before(client: Client, keeper: User) -> None:
    build_catalogue()
    assert names("落户") == []

    response = client.post(f"{SYNONYMS}add/", {"words": "落户，户口迁移", "note": "市民说“落户”"})

    assert response.status_code == 302, response.content.decode()[:2000]
    assert names("落户") == ["户口迁移登记"]
    group = SynonymGroup.objects.get()
    assert Event.objects.filter(
        stream=f"synonyms:{group.pk}", action="catalogue.synonyms_created", actor_id=keeper.pk
    ).exists()
    assert "落户、户口迁移" in client.get(SYNONYMS).content.decode()


def test_the_admin_edits_and_deletes_through_the_services(client: Client, keeper: User) -> None:
    group = make_synonyms("户口", "户籍")
    assert "户口、户籍" in client.get(f"{SYNONYMS}{group.pk}/change/").content.decode()
    response = client.post(f"{SYNONYMS}{group.pk}/change/", {"words": "户口 户籍 落户", "note": ""})
    assert response.status_code == 302
    assert words_of(group) == ["户口", "户籍", "落户"]
    assert Event.objects.filter(stream=f"synonyms:{group.pk}", action="catalogue.synonyms_edited").exists()
    client.post(SYNONYMS, {"action": "delete_selected", "_selected_action": [group.pk], "post": "yes"})
    assert not SynonymGroup.objects.exists()
    assert Event.objects.filter(stream=f"synonyms:{group.pk}", action="catalogue.synonyms_deleted").exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("营业执照、工商登记", "“营业执照”已在同义词组“营业执照、设立登记”中"),
        ("开公司", "一组同义词至少要有两个不同的词"),
        ("开公司、开-公司", "“开-公司”只能由汉字、字母和数字组成"),
    ],
)
def test_a_bad_group_is_shown_on_the_form_in_chinese(client: Client, keeper: User, typed: str, message: str) -> None:
    make_synonyms("营业执照", "设立登记")
    response = client.post(f"{SYNONYMS}add/", {"words": typed, "note": ""})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert SynonymGroup.objects.count() == 1
