"""Taking, calling and serving tickets: the new state, the audit event, and clear refusals."""

import datetime as dt

import pytest

from onewindow.audit.models import Event
from onewindow.cases.models import Case
from onewindow.cases.tests.factories import submitted_case
from onewindow.errors import Conflict, InvalidFields, PermissionDenied
from onewindow.halls.models import Booking, Duty, WindowProfile
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import staff, valid_resident_id
from onewindow.tickets import services
from onewindow.tickets.models import Ticket
from onewindow.tickets.selectors import ahead_of, screen_state
from onewindow.tickets.tests.factories import AT_TEN, DAY, booked_person, ticket_world

pytestmark = pytest.mark.django_db


def later(minutes: int) -> dt.datetime:
    return AT_TEN + dt.timedelta(minutes=minutes)


@pytest.fixture
def world():
    return ticket_world()


def take(world, **request):
    return services.ticket_take(
        actor=world.clerk, hall_id=world.hall.pk, request=services.TicketRequest(**request), now=AT_TEN
    )


def call(world, n=0, at=AT_TEN):
    return services.ticket_call_next(actor=world.clerk, window_id=world.window(n).pk, now=at)


def test_walk_ins_get_numbers_per_category_and_day(world):
    a1, a2 = world.walk_in(), world.walk_in()
    b1 = world.walk_in(world.halls.social)
    tomorrow = world.walk_in(at=AT_TEN + dt.timedelta(days=1))
    assert [a1.number, a2.number, b1.number, tomorrow.number] == ["A001", "A002", "B001", "A001"]
    assert (a1.source, a1.priority, a1.status) == ("walk_in", "normal", "waiting")
    assert ahead_of(a2) == 1 and ahead_of(b1) == 0
    event = Event.objects.get(stream=f"ticket:{a1.pk}", action="tickets.ticket_taken")
    assert event.changes["number"] == "A001"


def test_a_booking_code_checks_the_person_in_and_queues_them_first(world):
    booking, applicant = booked_person(world)
    walk_in = world.walk_in()
    ticket = take(world, booking_code="book2345")
    booking.refresh_from_db()
    assert booking.status == "arrived"
    assert (ticket.source, ticket.priority, ticket.applicant, ticket.booking) == (
        "booking",
        "booking",
        applicant,
        booking,
    )
    assert ahead_of(ticket) == 0 and ahead_of(walk_in) == 1
    assert call(world).pk == ticket.pk
    # No personal data in the events.
    for event in Event.objects.filter(stream=f"ticket:{ticket.pk}"):
        assert "王小明" not in str(event.changes) and applicant.id_number not in str(event.changes)


def test_a_booking_code_is_taken_once_today_and_within_its_arrival_window(world):
    booked_person(world, starts=dt.time(11))
    with pytest.raises(Conflict) as early:
        take(world, booking_code="BOOK2345")
    assert early.value.code == "tickets_too_early"
    with pytest.raises(InvalidFields) as unknown:
        take(world, booking_code="NOSUCH")
    assert unknown.value.code == "tickets_booking_not_found"
    Booking.objects.update(starts=dt.time(10))
    take(world, booking_code="BOOK2345")
    with pytest.raises(Conflict) as again:
        take(world, booking_code="BOOK2345")
    assert again.value.code == "tickets_already_taken" and "A001" in again.value.message
    Booking.objects.update(on=DAY + dt.timedelta(days=1), code="OTHERDAY")
    Ticket.objects.all().delete()
    with pytest.raises(InvalidFields) as other_day:
        take(world, booking_code="OTHERDAY")
    assert other_day.value.code == "tickets_booking_not_today"


def test_a_booking_checked_in_at_the_desk_but_come_back_late_queues_as_a_walk_in(world):
    booking, _applicant = booked_person(world)
    Booking.objects.filter(pk=booking.pk).update(status="arrived")
    late = services.ticket_take(
        actor=world.clerk,
        hall_id=world.hall.pk,
        request=services.TicketRequest(booking_code="BOOK2345"),
        now=later(40),
    )
    assert (late.source, late.priority) == ("booking", "normal")


def test_an_id_number_finds_todays_booking_or_takes_a_walk_in_ticket(world):
    _booking, applicant = booked_person(world)
    by_booking = take(world, id_number=applicant.id_number)
    assert by_booking.source == "booking"
    stranger = valid_resident_id(sequence="789")
    with pytest.raises(InvalidFields) as no_category:
        take(world, id_number=stranger)
    assert no_category.value.code == "tickets_category_required"
    walk_in = take(world, id_number=stranger, category_id=world.halls.social.pk, priority_group=True)
    assert (walk_in.source, walk_in.priority, walk_in.id_number) == ("id_card", "priority", stranger)
    with pytest.raises(InvalidFields) as bad:
        take(world, id_number="110105198001011230", category_id=world.halls.social.pk)
    assert bad.value.code == "tickets_id_number_invalid"


def test_call_next_follows_the_priority_order_and_the_windows_categories(world):
    normal = world.walk_in()
    elderly = world.walk_in(priority_group=True, at=later(1))
    social = world.walk_in(world.halls.social)
    assert call(world, 0).pk == elderly.pk
    assert call(world, 1).pk == normal.pk
    with pytest.raises(Conflict) as empty:  # window 1 is busy; window 2 serves only 企业开办
        call(world, 0)
    assert empty.value.code == "tickets_window_busy"
    assert call(world, 2).pk == social.pk
    called = Ticket.objects.get(pk=elderly.pk)
    assert (called.status, called.window, called.clerk, called.call_count) == (
        "called",
        world.window(0),
        world.clerk,
        1,
    )
    assert called.called_at == AT_TEN
    assert [t.number for t in screen_state(world.hall, DAY).calls][:1] == [social.number]


def test_an_empty_queue_is_a_clear_refusal(world):
    with pytest.raises(Conflict) as empty:
        call(world)
    assert empty.value.code == "tickets_queue_empty"


def test_a_green_channel_window_calls_green_tickets_of_any_category(world):
    green = world.window(0)
    WindowProfile.objects.filter(window=green).update(kind="green")
    WindowProfile.objects.get(window=green).categories.clear()
    world.walk_in(world.halls.social)
    green_ticket = world.walk_in(world.halls.social, green_channel=True, at=later(1))
    assert call(world, 0).pk == green_ticket.pk
    with pytest.raises(Conflict):
        services.service_start(actor=world.clerk, window_id=green.pk, ticket_id=green_ticket.pk, now=AT_TEN)
        call(world, 0)


def test_skip_then_recall_within_the_minutes_set(world, settings):
    settings.TICKETS_RECALL_MINUTES = 10
    ticket = world.walk_in()
    window = world.window(0).pk
    call(world)
    services.ticket_call_again(actor=world.clerk, window_id=window, ticket_id=ticket.pk, now=later(1))
    services.ticket_skip(actor=world.clerk, window_id=window, ticket_id=ticket.pk, now=later(2))
    recalled = services.ticket_recall(actor=world.clerk, window_id=window, ticket_id=ticket.pk, now=later(12))
    assert (recalled.status, recalled.call_count) == ("called", 3)
    services.ticket_skip(actor=world.clerk, window_id=window, ticket_id=ticket.pk, now=later(13))
    with pytest.raises(Conflict) as late:
        services.ticket_recall(actor=world.clerk, window_id=window, ticket_id=ticket.pk, now=later(24))
    assert late.value.code == "tickets_recall_expired"
    assert Ticket.objects.get(pk=ticket.pk).status == "skipped"


def test_transfer_to_another_window_or_category(world):
    first, second = world.walk_in(), world.walk_in()
    window_1, window_2 = world.window(0).pk, world.window(1).pk
    call(world, 0)
    moved = services.ticket_transfer(
        actor=world.clerk, window_id=window_1, ticket_id=first.pk, to_window_id=window_2, now=later(1)
    )
    assert (moved.status, moved.window, moved.target_window_id) == ("transferred", None, window_2)
    assert call(world, 0, later(2)).pk == second.pk  # window 1 no longer gets the transferred ticket
    assert call(world, 1, later(2)).pk == first.pk  # it keeps its place at window 2
    social = services.ticket_transfer(
        actor=world.clerk, window_id=window_2, ticket_id=first.pk, to_category_id=world.halls.social.pk, now=later(3)
    )
    assert social.category == world.halls.social and social.number == "A001"
    assert call(world, 2, later(4)).pk == first.pk
    with pytest.raises(InvalidFields) as neither:
        services.ticket_transfer(actor=world.clerk, window_id=window_1, ticket_id=second.pk, now=later(5))
    assert neither.value.code == "tickets_transfer_target"


def test_start_and_finish_service_link_the_case_the_clerk_submitted(world):
    _booking, applicant = booked_person(world)
    ticket = take(world, booking_code="BOOK2345")
    window = world.window(0).pk
    call(world)
    services.service_start(actor=world.clerk, window_id=window, ticket_id=ticket.pk, now=later(1))
    with pytest.raises(Conflict) as twice:
        services.service_start(actor=world.clerk, window_id=window, ticket_id=ticket.pk, now=later(1))
    assert twice.value.code == "tickets_wrong_status"
    case = submitted_case(channel="window", applicant=applicant)
    Case.objects.filter(pk=case.pk).update(submitted_by=world.clerk, created_at=later(5))
    done = services.service_finish(actor=world.clerk, window_id=window, ticket_id=ticket.pk, now=later(9))
    assert (done.status, done.started_at, done.finished_at, done.case) == ("done", later(1), later(9), case)
    actions = list(Event.objects.filter(stream=f"ticket:{ticket.pk}").order_by("seq").values_list("action", flat=True))
    assert actions[-3:] == ["tickets.service_started", "tickets.service_finished", "tickets.case_linked"]


def test_a_ticket_of_another_window_is_refused(world):
    ticket = world.walk_in()
    call(world, 0)
    with pytest.raises(Conflict) as elsewhere:
        services.ticket_skip(actor=world.clerk, window_id=world.window(1).pk, ticket_id=ticket.pk, now=AT_TEN)
    assert elsewhere.value.code == "tickets_not_at_window"


def test_with_a_roster_only_the_clerk_on_duty_calls_at_the_window(world):
    on_duty = staff(Role.CLERK, world.region)
    Duty.objects.create(window=world.window(0), on=DAY, clerk=on_duty)
    world.walk_in()
    with pytest.raises(PermissionDenied) as off_duty:
        call(world, 0)
    assert off_duty.value.code == "tickets_not_on_duty"
    assert services.ticket_call_next(actor=on_duty, window_id=world.window(0).pk, now=AT_TEN).number == "A001"


def test_the_days_end_abandons_what_is_left(world):
    waiting, called, served = world.walk_in(), world.walk_in(), world.walk_in()
    Ticket.objects.filter(pk=called.pk).update(status="called", window=world.window(0))
    Ticket.objects.filter(pk=served.pk).update(status="done")
    assert services.tickets_abandon(day=DAY) == 2
    statuses = dict(Ticket.objects.values_list("pk", "status"))
    assert statuses == {waiting.pk: "abandoned", called.pk: "abandoned", served.pk: "done"}
    assert Event.objects.filter(action="tickets.ticket_abandoned").count() == 2


def test_a_service_left_open_at_the_days_end_is_closed_and_the_window_calls_the_next_day(world):
    forgotten = world.walk_in()
    call(world, 0)
    services.service_start(actor=world.clerk, window_id=world.window(0).pk, ticket_id=forgotten.pk, now=AT_TEN)

    assert services.tickets_abandon(day=DAY) == 0

    forgotten.refresh_from_db()
    assert (forgotten.status, forgotten.finished_at) == ("done", None)
    assert Event.objects.filter(action="tickets.service_closed").count() == 1
    next_day = AT_TEN + dt.timedelta(days=1)
    world.walk_in(at=next_day)
    called = services.ticket_call_next(actor=world.clerk, window_id=world.window(0).pk, now=next_day)
    assert called.number == "A001" and called.issued_on == next_day.date()
