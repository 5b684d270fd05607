from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.template import Context, Template
from django.test import RequestFactory

from onewindow.audit import registry
from onewindow.audit.labels import ACTION_LABELS, register_action_labels
from onewindow.audit.selectors import EventFilters, event_list_for_admin, events_for_target
from onewindow.audit.tests.factories import OrganisationFactory, UserFactory, record, staff
from onewindow.errors import NotFound, PermissionDenied
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Applicant

pytestmark = pytest.mark.django_db

THING = "tests.thing"


@pytest.fixture
def tree():
    city = OrganisationFactory()
    district = OrganisationFactory(parent=city, level="district")
    other = OrganisationFactory()
    return city, district, other


@pytest.fixture
def things(monkeypatch):
    """A target type whose app lets a user see thing <id> when the id is in `visible[user.pk]`."""
    visible: dict[int, set[str]] = {}
    monkeypatch.setitem(registry._TRAIL_ACCESS, THING, lambda user, pk: pk in visible.get(user.pk, set()))
    return visible


def trail(user, target_id=1):
    return [(e.event.stream, e.event.seq) for e in events_for_target(user=user, target_type=THING, target_id=target_id)]


def test_whoever_may_see_the_object_sees_its_whole_trail_whatever_organisation_recorded_it(tree, things):
    city, district, other = tree
    record("thing:1", target_type=THING, target_id=1, organisation=district)
    record("thing:1", target_type=THING, target_id=1, organisation=other)
    viewer = staff(organisation=city)
    things[viewer.pk] = {"1"}
    assert trail(viewer) == [("thing:1", 1), ("thing:1", 2)]


def test_a_trail_of_an_object_the_user_may_not_see_is_not_found_like_an_unknown_one(tree, things):
    city, _, _ = tree
    record("thing:1", target_type=THING, target_id=1, organisation=city)
    viewer = staff(organisation=city)
    things[viewer.pk] = {"2"}
    for target_id in (1, 3):  # forbidden, unknown
        with pytest.raises(NotFound) as refused:
            trail(viewer, target_id)
        assert refused.value.code == "trail_not_found"


def test_a_type_no_app_registered_shows_its_trail_to_the_audit_admin_only(tree):
    city, _, _ = tree
    record("odd:1", target_type="tests.unregistered", target_id=1, organisation=city)
    with pytest.raises(NotFound):
        events_for_target(user=staff(organisation=city), target_type="tests.unregistered", target_id=1)
    entries = events_for_target(user=staff(Role.AUDIT_ADMIN), target_type="tests.unregistered", target_id=1)
    assert [e.event.stream for e in entries] == ["odd:1"]


def test_the_audit_admin_sees_every_trail(tree, things):
    _, district, other = tree
    record("thing:1", target_type=THING, target_id=1, organisation=district)
    record("thing:1", target_type=THING, target_id=1, organisation=other)
    assert len(trail(staff(Role.AUDIT_ADMIN))) == 2


def test_inactive_users_see_no_trail(tree, things):
    record("thing:1", target_type=THING, target_id=1)
    viewer = staff(Role.AUDIT_ADMIN)
    viewer.is_active = False
    with pytest.raises(NotFound):
        trail(viewer)


def test_applicants_acting_in_a_trail_are_masked_unless_the_viewers_role_needs_their_names(tree, things):
    city, _, _ = tree
    citizen = UserFactory(name="张三丰")
    Applicant.objects.create(kind=Applicant.Kind.PERSON, name="张三丰", user=citizen, id_number="", phone="")
    clerk_actor = staff(organisation=city)
    record("thing:1", target_type=THING, target_id=1, actor=citizen)
    record("thing:1", target_type=THING, target_id=1, actor=clerk_actor, organisation=city)
    supervisor, clerk = staff(Role.SUPERVISOR, city), staff(Role.CLERK, city)
    things.update({supervisor.pk: {"1"}, clerk.pk: {"1"}})
    seen_by_supervisor = events_for_target(user=supervisor, target_type=THING, target_id=1)
    assert [e.actor_label for e in seen_by_supervisor] == ["张**", str(clerk_actor)]
    seen_by_clerk = events_for_target(user=clerk, target_type=THING, target_id=1)
    assert [e.actor_label for e in seen_by_clerk] == ["张三丰", str(clerk_actor)]


def test_the_trail_names_actor_action_and_changes_in_a_fixed_number_of_queries(tree, things, django_assert_num_queries):
    city, _, _ = tree
    actor = staff(organisation=city)
    register_action_labels({"cases.case_accepted": "受理"})
    for n in range(5):
        record("thing:1", target_type=THING, target_id=1, actor=actor, organisation=city,
               changes={"status": ["submitted", f"s{n}"]})  # fmt: skip
    viewer = staff(organisation=city)
    things[viewer.pk] = {"1"}
    with django_assert_num_queries(4):  # memberships (roles and paths), events, actors, organisations
        entries = events_for_target(user=viewer, target_type=THING, target_id=1)
    assert entries[0].actor_label == str(actor)
    assert entries[0].action_label == "受理"
    assert (entries[0].changes[0].old, entries[0].changes[0].new) == ("submitted", "s0")


def test_action_labels_must_be_namespaced():
    with pytest.raises(ValueError, match="namespaced"):
        register_action_labels({"accepted": "受理"})
    assert "accepted" not in ACTION_LABELS


def render_trail_tag(user, target_id=1) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template(f'{{% load audit_tags %}}{{% audit_trail "{THING}" {target_id} %}}')
    return template.render(Context({"request": request}))


def test_the_trail_template_tag_renders_a_table_in_shanghai_time(tree, things):
    city, _, _ = tree
    with time_machine.travel(dt.datetime(2026, 1, 1, 16, 30, tzinfo=dt.UTC), tick=False):
        record("thing:1", target_type=THING, target_id=1, organisation=city, changes={"status": ["draft", "published"]})
    viewer = staff(organisation=city)
    things[viewer.pk] = {"1"}
    html = render_trail_tag(viewer)
    assert "<table" in html and "draft → published" in html
    assert "2026-01-02 00:30:00" in html


def test_the_trail_template_tag_shows_nothing_of_an_object_the_viewer_may_not_see(tree, things):
    city, _, _ = tree
    record("thing:1", target_type=THING, target_id=1, organisation=city, changes={"status": ["draft", "published"]})
    html = render_trail_tag(staff(organisation=city))
    assert "<table" not in html and "published" not in html


def test_only_the_audit_admin_lists_the_whole_log():
    record("case:1", 2)
    record("case:2", 1)
    for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.SUPERVISOR):
        with pytest.raises(PermissionDenied):
            event_list_for_admin(user=staff(role), filters=EventFilters())
    events = event_list_for_admin(user=staff(Role.AUDIT_ADMIN), filters=EventFilters(stream="case:1"))
    assert [e.seq for e in events] == [2, 1]
