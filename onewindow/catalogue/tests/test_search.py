"""Chinese search: the same behaviour on SQLite (FTS5) and PostgreSQL (tsvector + pg_trgm)."""

from __future__ import annotations

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onewindow.catalogue import search, search_index, selectors, selectors_search
from onewindow.catalogue.domain import CatalogueRuleError
from onewindow.catalogue.models import MatterVersion, OnlineLevel
from onewindow.catalogue.tests.factories import (
    DepartmentFactory,
    MatterFactory,
    MatterVersionFactory,
    make_synonyms,
)
from onewindow.catalogue.tests.test_selectors import Catalogue, build_catalogue

LICENCE = search.synonyms_of([("营业执照", "设立登记", "企业设立登记")])


@pytest.fixture
def catalogue(db: None) -> Catalogue:
    return build_catalogue()


def names(query: str, filters: selectors.MatterFilters | None = None) -> list[str]:
    return [version.name for version in selectors_search.matter_search(query, filters)]


# --- query parsing (no database) ----------------------------------------------------------------


def test_a_word_segmented_differently_alone_also_matches_by_its_parts() -> None:
    (term,) = search.parse("建筑工程").terms
    assert term.alternatives == (("建筑工程",), ("建筑", "工程"))


def test_synonym_phrases_are_kept_whole_and_expanded() -> None:
    query = search.parse("营业执照 核发", LICENCE)
    assert [t.text for t in query.terms] == ["营业执照", "核发"]
    assert ("设立", "登记") in query.terms[0].alternatives


@pytest.mark.parametrize(
    ("typed", "terms", "whole"),
    [
        ("办营业执照", ["营业执照"], ("营业执照", "设立登记", "企业设立登记")),
        ("怎么办营业执照", ["营业执照"], ("营业执照", "设立登记", "企业设立登记")),
        ("我要 申请 营业执照", ["营业执照"], ("营业执照", "设立登记", "企业设立登记")),
        ("办理", ["办理"], ("办理",)),  # nothing else was asked: the word itself is looked for
    ],
)
def test_filler_words_around_what_is_asked_for_are_dropped(typed: str, terms: list[str], whole: tuple) -> None:
    query = search.parse(typed, LICENCE)
    assert [t.text for t in query.terms] == terms
    assert query.whole == whole


def test_punctuation_and_operators_never_reach_the_index_query() -> None:
    terms = search.parse('施工" OR * NEAR(').terms
    assert [t.text for t in terms] == ["施工", "or", "near"]
    assert '"施工"*' in search.fts5_query(terms)


def test_full_width_input_is_normalised() -> None:
    assert search.normalise_query("  ＩＣＰ  许可 ") == "icp 许可"


def test_a_synonym_group_is_typed_on_one_line_and_normalised() -> None:
    typed = search.split_synonyms("开公司、企业开办，设立公司 ＩＣＰ许可;开公司")
    assert search.synonym_words(typed) == ("开公司", "企业开办", "设立公司", "icp许可")


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("开公司", "synonym_group_too_small"),
        ("开公司、开公司", "synonym_group_too_small"),
        ("户、户口", "synonym_word_length"),  # one character would cut every query containing it
        ("开公司、c++", "synonym_word_invalid"),
        ("、".join(f"词语{n}" for n in range(21)), "synonym_group_too_large"),
    ],
)
def test_a_synonym_group_that_cannot_work_is_refused(typed: str, code: str) -> None:
    with pytest.raises(CatalogueRuleError) as refused:
        search.synonym_words(search.split_synonyms(typed))
    assert refused.value.code == code


# --- searching ----------------------------------------------------------------------------------


def test_two_characters_find_the_matter_whose_name_contains_them(catalogue: Catalogue) -> None:
    assert names("施工") == ["建筑工程施工许可证核发"]


def test_drafts_and_retired_versions_are_never_found(catalogue: Catalogue) -> None:
    # 建筑起重机械使用登记 (draft), 建设工程施工图审查备案 (retired) and the old name 房屋建筑施工竣工备案.
    assert "建筑起重机械使用登记" not in names("建筑")
    assert names("施工图") == []
    assert names("竣工备案") == ["房屋市政工程竣工验收备案"]


def test_a_word_inside_a_longer_word_is_found(catalogue: Catalogue) -> None:
    assert names("排水") == ["城镇污水排入排水管网许可证核发"]
    assert names("建筑工程") == ["建筑工程施工许可证核发"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("排污", "城镇污水排入排水管网许可证核发"),
        ("施工许可", "建筑工程施工许可证核发"),
        ("营业执照", "企业设立登记"),
        ("办营业执照", "企业设立登记"),
        ("开公司", None),  # 开办企业 is not in this catalogue: a synonym never invents results
    ],
)
def test_synonyms_find_the_catalogues_own_words(catalogue: Catalogue, query: str, expected: str | None) -> None:
    for words in (
        ("施工许可", "施工许可证"),
        ("营业执照", "企业登记", "设立登记"),
        ("排水", "排污"),
        ("开公司", "开办企业"),
    ):
        make_synonyms(*words)
    assert names(query) == ([expected] if expected else [])


def test_a_synonym_takes_effect_at_the_next_query_without_reindexing(catalogue: Catalogue) -> None:
    assert names("落户") == []
    make_synonyms("落户", "户口迁移")
    assert names("落户") == ["户口迁移登记"]
    assert names("户口迁移") == ["户口迁移登记"]  # the group works both ways


def test_every_word_must_match(catalogue: Catalogue) -> None:
    assert names("排水 许可") == ["城镇污水排入排水管网许可证核发"]
    assert names("排水 食品") == []


def test_the_department_name_is_searchable(catalogue: Catalogue) -> None:
    assert names("水务") == ["城镇污水排入排水管网许可证核发"]
    assert set(names("市场监督")) == {"企业设立登记", "食品经营许可"}


def test_a_single_character_matches_names_containing_it(catalogue: Catalogue) -> None:
    assert set(names("户")) == {"户口迁移登记"}


def test_search_combines_with_filters(catalogue: Catalogue) -> None:
    assert set(names("核发")) == {"建筑工程施工许可证核发", "城镇污水排入排水管网许可证核发"}
    intake = selectors.MatterFilters(online_level=OnlineLevel.ONLINE_INTAKE)
    assert names("核发", intake) == ["城镇污水排入排水管网许可证核发"]
    housing = selectors.MatterFilters(department=catalogue.housing.code, online_level=OnlineLevel.ONLINE_INTAKE)
    assert names("核发", housing) == []


def test_a_word_that_is_only_in_the_category_ranks_after_names_containing_it(catalogue: Catalogue) -> None:
    # Every 行政许可 matter has 许可 among its words; the ones named ...许可... come first.
    results = names("许可")
    assert set(results[:3]) == {"建筑工程施工许可证核发", "城镇污水排入排水管网许可证核发", "食品经营许可"}
    assert set(results[3:]) == {"企业设立登记", "房屋市政工程竣工验收备案"}


def test_matters_named_for_the_query_come_before_department_matches(catalogue: Catalogue) -> None:
    # 市场监督管理局 owns two matters; 农贸市场登记 (another department) has 市场 in its name.
    other = MatterFactory(department=DepartmentFactory(name="商务局"))
    MatterVersionFactory(matter=other, name="农贸市场登记", published=True)
    results = names("市场")
    assert results[0] == "农贸市场登记"
    assert set(results[1:]) == {"企业设立登记", "食品经营许可"}


def test_the_index_follows_changes_to_search_text(catalogue: Catalogue) -> None:
    MatterVersion.objects.filter(pk=catalogue.food.pk).update(search_text="食品 经营 许可 餐饮")
    assert names("餐饮") == ["食品经营许可"]
    MatterVersion.objects.filter(pk=catalogue.food.pk).update(search_text="食品 经营 许可")
    assert names("餐饮") == []


def test_a_newly_published_matter_is_found_and_a_deleted_draft_leaves_the_index(catalogue: Catalogue) -> None:
    draft = MatterVersionFactory(matter=MatterFactory(department=catalogue.water), name="取水许可")
    assert names("取水") == []
    MatterVersion.objects.filter(pk=draft.pk).update(status="published")
    assert names("取水") == ["取水许可"]
    MatterVersion.objects.filter(pk=draft.pk).delete()
    assert names("取水") == []


def test_a_query_without_words_matches_names_containing_it_as_typed(catalogue: Catalogue) -> None:
    assert names("!!!") == []
    assert [b.name for b in selectors_search.bundle_search("!!!")] == []


def test_empty_query_lists_everything_published_by_code(catalogue: Catalogue) -> None:
    codes = [v.matter.code for v in selectors_search.matter_search("   ")]
    assert codes == sorted(codes)
    assert len(codes) == 6


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(max_size=120))
def test_any_text_is_a_valid_query(query: str) -> None:
    # Quotes, FTS5 and tsquery operators, control characters: never a database error.
    list(selectors_search.matter_search(query))
    list(selectors_search.bundle_search(query))


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm similarity exists on PostgreSQL only")
def test_postgresql_tolerates_a_mistyped_character(catalogue: Catalogue) -> None:
    assert "建筑工程施工许可证核发" in names("建筑工程施工许可正核发")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 triggers exist on SQLite only")
def test_the_sqlite_index_is_maintained_by_triggers_after_all_migrations(db: None) -> None:
    # A later migration that rebuilds a table drops them: see search_index.repair_search_index.
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'catalogue_%_fts_%'")
        assert {row[0] for row in cursor.fetchall()} == {
            f"catalogue_{kind}_fts_{event}" for kind in ("mv", "bv") for event in ("insert", "update", "delete")
        }


def test_repairing_the_index_keeps_search_working(catalogue: Catalogue) -> None:
    search_index.repair_search_index(using="default")
    search_index.repair_search_index(using="default")
    assert names("施工") == ["建筑工程施工许可证核发"]
    MatterVersion.objects.filter(pk=catalogue.food.pk).update(search_text="食品 经营 许可 餐饮")
    assert names("餐饮") == ["食品经营许可"]
