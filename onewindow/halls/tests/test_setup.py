"""The hall's settings, closures, windows and roster: who may change them, what is refused (every field
at once, nothing written), and the audit event of every change."""

import dataclasses
import datetime as dt

import pytest
from django.utils import timezone

from onewindow.audit.models import Event
from onewindow.errors import Conflict, InvalidFields, NotFound, PermissionDenied
from onewindow.halls import selectors, services
from onewindow.halls.models import Closure, Duty, HallProfile, OpeningHours, WindowProfile
from onewindow.halls.tests.factories import T, hall_world
from onewindow.halls.tests.test_domain_settings import DEFAULTS
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import DepartmentFactory, RegionFactory, staff
from onewindow.workdays.selectors import work_calendar

pytestmark = pytest.mark.django_db
WEEK = {d: (T(9), T(12)) for d in range(7)}


@pytest.fixture
def world():
    return hall_world(RegionFactory())


@pytest.fixture
def admin(world):
    return staff(Role.SYSTEM_ADMIN, world.hall.region)


def _events(action):
    return Event.objects.filter(action=action)


def _later(days=3):
    return timezone.localdate() + dt.timedelta(days=days)


def test_the_admin_changes_the_rules_and_week_hours_with_one_audit_event(world, admin):
    rules = dataclasses.replace(DEFAULTS, kind="township", weekend_service=True, slot_minutes=20, daily_limit=1)
    hours = WEEK | {2: (T(8, 30), T(17)), 6: None}
    services.hall_settings_update(actor=admin, hall_id=world.hall.pk, rules=rules, hours=hours)

    profile = HallProfile.objects.get(hall=world.hall)
    assert (profile.kind, profile.weekend_service, profile.slot_minutes, profile.daily_limit) == (
        "township",
        True,
        20,
        1,
    )
    assert OpeningHours.objects.get(hall=world.hall, weekday=2).opens == T(8, 30)
    assert not OpeningHours.objects.filter(hall=world.hall, weekday=6).exists()
    event = _events("halls.settings_changed").get()
    assert event.changes["slot_minutes"] == [30, 20] and event.changes["hours"]["6"] == ["09:00-12:00", None]
    assert "daily_limit" in event.changes and "cutoff_minutes" not in event.changes


def test_bad_settings_are_refused_all_at_once_and_nothing_changes(world, admin):
    rules = dataclasses.replace(DEFAULTS, slot_minutes=0, no_show_period_days=1000)
    with pytest.raises(InvalidFields) as refused:
        services.hall_settings_update(actor=admin, hall_id=world.hall.pk, rules=rules, hours=WEEK | {0: (T(12), T(9))})
    assert set(refused.value.errors) == {"slot_minutes", "no_show_period_days", "hours_0"}
    assert HallProfile.objects.get(hall=world.hall).slot_minutes == 30
    assert not _events("halls.settings_changed").exists()


def test_who_may_change_a_hall(world):
    region = world.hall.region
    head = staff(Role.DEPARTMENT_HEAD, region)
    services.hall_settings_update(actor=head, hall_id=world.hall.pk, rules=DEFAULTS, hours=WEEK)
    # In the hall's scope without the role: refused (403); out of it: not found (404).
    for role in (Role.CLERK, Role.SUPERVISOR, Role.LEADER):
        with pytest.raises(PermissionDenied):
            services.hall_settings_update(actor=staff(role, region), hall_id=world.hall.pk, rules=DEFAULTS, hours=WEEK)
    # A department's head (住建局) holds no role over the region's hall.
    department_head = staff(Role.DEPARTMENT_HEAD, DepartmentFactory(parent=region))
    for outsider in (staff(Role.SYSTEM_ADMIN, RegionFactory()), department_head):
        with pytest.raises(NotFound):
            services.hall_settings_update(actor=outsider, hall_id=world.hall.pk, rules=DEFAULTS, hours=WEEK)


def test_a_closure_closes_the_day_and_is_audited(world, admin):
    day = _later()
    while not selectors.slots_of_day(world.hall, world.business, day, work_calendar()):
        day += dt.timedelta(days=1)
    closure = services.closure_add(actor=admin, hall_id=world.hall.pk, on=day, reason="停电检修")
    assert selectors.slots_of_day(world.hall, world.business, day, work_calendar()) == []
    assert _events("halls.closure_added").get().changes == {"on": day.isoformat(), "reason": "停电检修"}
    services.closure_remove(actor=admin, hall_id=world.hall.pk, closure_id=closure.pk)
    assert selectors.slots_of_day(world.hall, world.business, day, work_calendar())
    assert _events("halls.closure_removed").count() == 1


def test_a_closure_needs_a_reason_a_future_day_and_one_per_day(world, admin):
    with pytest.raises(InvalidFields) as refused:
        services.closure_add(actor=admin, hall_id=world.hall.pk, on=_later(-1), reason=" ")
    assert set(refused.value.errors) == {"on", "reason"}
    services.closure_add(actor=admin, hall_id=world.hall.pk, on=_later(), reason="停电检修")
    with pytest.raises(InvalidFields) as again:
        services.closure_add(actor=admin, hall_id=world.hall.pk, on=_later(), reason="消防演练")
    assert again.value.code == "halls_closure_exists" and Closure.objects.count() == 1


def test_a_window_gets_its_kind_categories_matters_and_weekend(world, admin):
    window = world.windows[0]
    services.window_settings_update(
        actor=admin,
        window_id=window.pk,
        kind="specialised",
        category_ids=[world.social.pk],
        matters="居住证",
        weekend_service=True,
    )
    profile = WindowProfile.objects.get(window=window)
    assert (profile.kind, profile.matters, profile.weekend_service) == ("specialised", "居住证", True)
    assert list(profile.categories.all()) == [world.social]
    assert _events("halls.window_changed").get().changes["categories"] == [world.social.pk]


def test_a_window_refuses_other_halls_categories_and_nameless_specialisation(world, admin):
    other = hall_world(RegionFactory())
    with pytest.raises(InvalidFields) as foreign:
        services.window_settings_update(
            actor=admin, window_id=world.windows[0].pk, kind="comprehensive",
            category_ids=[other.business.pk], matters="", weekend_service=False,
        )  # fmt: skip
    assert "categories" in foreign.value.errors
    with pytest.raises(InvalidFields) as nameless:
        services.window_settings_update(
            actor=admin, window_id=world.windows[0].pk, kind="specialised",
            category_ids=[], matters="", weekend_service=False,
        )  # fmt: skip
    assert nameless.value.errors == {"matters": "专业窗口请填写专办事项。"}
    assert WindowProfile.objects.get(window=world.windows[0]).kind == "comprehensive"
    with pytest.raises(NotFound):
        services.window_settings_update(
            actor=admin, window_id=other.windows[0].pk, kind="comprehensive",
            category_ids=[], matters="", weekend_service=False,
        )  # fmt: skip


def test_the_roster_takes_clerks_of_the_halls_organisation_or_below(world, admin):
    region = world.hall.region
    own = staff(Role.CLERK, DepartmentFactory(parent=region))
    duty = services.duty_add(actor=admin, window_id=world.windows[0].pk, on=_later(), clerk_id=own.pk)
    assert _events("halls.duty_added").get().changes["clerk"] == own.pk
    with pytest.raises(Conflict):
        services.duty_add(actor=admin, window_id=world.windows[0].pk, on=_later(), clerk_id=own.pk)
    for stranger in (staff(Role.CLERK, RegionFactory()), staff(Role.REVIEWER, region)):
        with pytest.raises(InvalidFields) as refused:
            services.duty_add(actor=admin, window_id=world.windows[0].pk, on=_later(), clerk_id=stranger.pk)
        assert "clerk" in refused.value.errors
    services.duty_remove(actor=admin, duty_id=duty.pk)
    assert not Duty.objects.exists() and _events("halls.duty_removed").count() == 1


def test_a_rostered_day_counts_only_the_windows_on_duty(world, admin):
    day = _later()
    while not selectors.slots_of_day(world.hall, world.business, day, work_calendar()):
        day += dt.timedelta(days=1)
    clerk = staff(Role.CLERK, world.hall.region)
    services.duty_add(actor=admin, window_id=world.windows[1].pk, on=day, clerk_id=clerk.pk)
    assert {s.capacity for s in selectors.slots_of_day(world.hall, world.business, day, work_calendar())} == {1}


def test_a_clerk_may_not_change_the_roster(world):
    clerk = staff(Role.CLERK, world.hall.region)
    with pytest.raises(PermissionDenied):
        services.duty_add(actor=clerk, window_id=world.windows[0].pk, on=_later(), clerk_id=clerk.pk)


def test_setting_a_hall_up_records_its_hours_and_categories(world):
    event = _events("halls.hall_set_up").get()
    assert event.changes["hours"]["0"] == "09:00-12:00" and event.changes["categories"] == ["企业开办", "社会事务"]


def test_the_demos_window_step_is_audited_too(world):
    services.window_setup(actor=None, window=world.windows[0], kind="green", categories=[])
    assert WindowProfile.objects.get(window=world.windows[0]).kind == "green"
    assert _events("halls.window_changed").get().actor_id is None
