"""A hall ready for appointments: week hours 9:00-12:00 (Saturday too, for weekend windows), two
categories, two comprehensive windows serving 企业开办 and one Saturday window."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from onewindow.halls.models import ServiceCategory, WindowProfile
from onewindow.halls.services import hall_setup
from onewindow.orgs.models import Hall, Organisation, Window

T = dt.time
# Fixed dates (2026 is a known year): Monday 2026-12-07, Saturday 2026-12-12; "now" is Sunday 2026-12-06.
MONDAY, SATURDAY = dt.date(2026, 12, 7), dt.date(2026, 12, 12)
NOW = dt.datetime(2026, 12, 6, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@dataclass
class HallWorld:
    hall: Hall
    business: ServiceCategory
    social: ServiceCategory
    windows: list[Window]


def hall_world(region: Organisation, *, windows: int = 2) -> HallWorld:
    hall = Hall.objects.create(region=region, name="测试政务服务大厅")
    hours = {d: (T(9), T(12)) for d in range(7)}
    hall_setup(
        actor=None, hall=hall, kind="centre", weekend_service=False, hours=hours, categories=["企业开办", "社会事务"]
    )
    business = ServiceCategory.objects.get(hall=hall, name="企业开办")
    social = ServiceCategory.objects.get(hall=hall, name="社会事务")
    made = []
    for i in range(windows):
        window = Window.objects.create(hall=hall, number=str(i + 1), name="综合窗口")
        WindowProfile.objects.create(window=window, kind="comprehensive").categories.add(business)
        made.append(window)
    saturday = Window.objects.create(hall=hall, number="9", name="周末窗口")
    WindowProfile.objects.create(window=saturday, kind="comprehensive", weekend_service=True).categories.add(social)
    made.append(saturday)
    return HallWorld(hall, business, social, made)
