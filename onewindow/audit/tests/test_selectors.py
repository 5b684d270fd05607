from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.template import Context, Template
from django.test import RequestFactory

from onewindow.audit.labels import ACTION_LABELS, register_action_labels
from onewindow.audit.selectors import EventFilters, event_list_for_admin, events_for_target
from onewindow.audit.tests.factories import OrganisationFactory, UserFactory, record, staff
from onewindow.errors import PermissionDenied
from onewindow.orgs.domain import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    city = OrganisationFactory()
    district = OrganisationFactory(parent=city, level="district")
    other = OrganisationFactory()
    return city, district, other


def trail_streams(user):
    return [(e.event.stream, e.event.seq) for e in events_for_target(user=user, target_type="cases.case", target_id=1)]


def test_staff_see_the_trail_of_their_organisations_and_below_and_events_without_one(tree):
    city, district, other = tree
    record("case:1", organisation=district, target_id=1)
    record("case:1", organisation=other, target_id=1)
    record("case:1", organisation=None, target_id=1)
    assert trail_streams(staff(organisation=city)) == [("case:1", 1), ("case:1", 3)]
    assert trail_streams(staff(organisation=other)) == [("case:1", 2), ("case:1", 3)]


def test_applicants_and_anonymous_visitors_see_no_trail(tree):
    record("case:1", organisation=None, target_id=1)
    assert trail_streams(UserFactory()) == []


def test_the_audit_admin_sees_every_event_of_the_trail(tree):
    _, district, other = tree
    record("case:1", organisation=district, target_id=1)
    record("case:1", organisation=other, target_id=1)
    assert len(trail_streams(staff(Role.AUDIT_ADMIN))) == 2


def test_the_trail_names_actor_action_and_changes_in_a_fixed_number_of_queries(tree, django_assert_num_queries):
    city, _, _ = tree
    actor = staff(organisation=city)
    register_action_labels({"cases.case_accepted": "受理"})
    for n in range(5):
        record("case:1", target_id=1, actor=actor, organisation=city, changes={"status": ["submitted", f"s{n}"]})
    viewer = staff(organisation=city)
    with django_assert_num_queries(4):  # memberships (roles and paths), events, actors, organisations
        entries = events_for_target(user=viewer, target_type="cases.case", target_id=1)
    assert entries[0].actor_label == str(actor)
    assert entries[0].action_label == "受理"
    assert (entries[0].changes[0].old, entries[0].changes[0].new) == ("submitted", "s0")


def test_action_labels_must_be_namespaced():
    with pytest.raises(ValueError, match="namespaced"):
        register_action_labels({"accepted": "受理"})
    assert "accepted" not in ACTION_LABELS


def test_the_trail_template_tag_renders_a_table_in_shanghai_time(tree):
    city, _, _ = tree
    with time_machine.travel(dt.datetime(2026, 1, 1, 16, 30, tzinfo=dt.UTC), tick=False):
        record("case:1", target_id=1, organisation=city, changes={"status": ["draft", "published"]})
    request = RequestFactory().get("/")
    request.user = staff(organisation=city)
    html = Template('{% load audit_tags %}{% audit_trail "cases.case" 1 %}').render(Context({"request": request}))
    assert "<table" in html and "draft → published" in html
    assert "2026-01-02 00:30:00" in html


def test_only_the_audit_admin_lists_the_whole_log():
    record("case:1", 2)
    record("case:2", 1)
    for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.SUPERVISOR):
        with pytest.raises(PermissionDenied):
            event_list_for_admin(user=staff(role), filters=EventFilters())
    events = event_list_for_admin(user=staff(Role.AUDIT_ADMIN), filters=EventFilters(stream="case:1"))
    assert [e.seq for e in events] == [2, 1]
