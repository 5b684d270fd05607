"""What a case applies for, read through the process cache of its catalogue version (cases/sources.py)."""

from __future__ import annotations

import pytest

from onewindow.cases import sources
from onewindow.cases.models import TimelineEntry
from onewindow.cases.services import intake
from onewindow.cases.tests.factories import accepted_case, clerk_for, published_bundle, submitted_case
from onewindow.catalogue.models import VersionStatus
from onewindow.errors import DomainError

pytestmark = pytest.mark.django_db


def test_a_source_read_twice_reads_the_catalogue_once(django_assert_num_queries):
    bundle = published_bundle()
    first = sources.source_of(matter_version=None, bundle_version=bundle)
    with django_assert_num_queries(0):
        again = sources.source_of(matter_version=None, bundle_version=bundle)
    assert again == first
    assert [stage for _, stage in again.matters] == [1, 1, 1, 2]
    assert again.lead_department != again.deciding_department  # stage 1 leads, stage 2 decides


def test_a_retired_version_is_refused_for_new_applications_even_when_cached():
    bundle = published_bundle()
    sources.source_of(matter_version=None, bundle_version=bundle)
    bundle.status = VersionStatus.RETIRED
    bundle.save(update_fields=["status"])
    with pytest.raises(DomainError) as refused:
        sources.source_of(matter_version=None, bundle_version=bundle)
    assert refused.value.code == "version_not_published"


def test_a_case_keeps_its_source_after_its_version_is_retired():
    case = accepted_case(bundle=True)
    bundle = case.bundle_version
    assert bundle is not None
    bundle.status = VersionStatus.RETIRED
    bundle.save(update_fields=["status"])
    assert len(sources.case_source(case).matters) == 4


def test_renaming_a_department_shows_at_once_in_the_next_stage_opened():
    case = submitted_case(bundle=True)
    lead = sources.case_source(case).lead_department
    lead.name = "改名后的审批局"
    lead.save(update_fields=["name"])
    assert sources.case_source(case).lead_department.name == "改名后的审批局"
    intake.case_accept(actor=clerk_for(case.region), case=case)
    opened = TimelineEntry.objects.get(case=case, action="task_open", task__department=lead)
    assert "改名后的审批局" in opened.note


def test_an_entry_past_its_lifetime_is_read_again(monkeypatch, django_assert_max_num_queries):
    bundle = published_bundle()
    sources.source_of(matter_version=None, bundle_version=bundle)
    monkeypatch.setattr(sources, "_CACHE_SECONDS", 0.0)  # what another process's rename waits for
    with django_assert_max_num_queries(10) as reads:
        sources.source_of(matter_version=None, bundle_version=bundle)
    assert len(reads.captured_queries) > 0
