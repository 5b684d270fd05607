"""A hall ready for tickets (halls' `hall_world`: windows 1 and 2 serve 企业开办, window 9 社会事务), its
clerk, and a day: Monday 2026-12-07 at 10:00 Asia/Shanghai."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from onewindow.halls.models import Booking
from onewindow.halls.tests.factories import MONDAY, HallWorld, hall_world
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Applicant, Organisation, User
from onewindow.orgs.tests.factories import RegionFactory, UserFactory, staff, valid_resident_id
from onewindow.tickets import services
from onewindow.tickets.models import Ticket

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
DAY = MONDAY
AT_TEN = dt.datetime(2026, 12, 7, 10, tzinfo=SHANGHAI)


@dataclass
class TicketWorld:
    region: Organisation
    halls: HallWorld
    clerk: User

    @property
    def hall(self):
        return self.halls.hall

    def window(self, n: int):
        return self.halls.windows[n]

    def walk_in(self, category=None, *, at: dt.datetime = AT_TEN, **flags: bool) -> Ticket:
        category = category or self.halls.business
        request = services.TicketRequest(category_id=category.pk, **flags)
        return services.ticket_take(actor=self.clerk, hall_id=self.hall.pk, request=request, now=at)


def ticket_world() -> TicketWorld:
    region = RegionFactory()
    return TicketWorld(region, hall_world(region), staff(Role.CLERK, region))


def booked_person(world: TicketWorld, *, starts: dt.time = dt.time(10), on: dt.date = DAY) -> tuple[Booking, Applicant]:
    """A person with an online account and a resident ID, booked for the 企业开办 slot `starts` on `on`."""
    user = UserFactory(name="王小明")
    applicant = Applicant.objects.create(
        kind="person", name="王小明", id_number=valid_resident_id(sequence="456"), user=user
    )
    booking = Booking.objects.create(
        hall=world.hall, category=world.halls.business, person=user, on=on, starts=starts, code="BOOK2345"
    )
    return booking, applicant
