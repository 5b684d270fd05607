import datetime as dt

import pytest
import time_machine

from onewindow.audit.models import Event
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import RegionFactory, staff
from onewindow.workdays import selectors
from onewindow.workdays.domain import add_working_days
from onewindow.workdays.models import CalendarYear, SpecialDay

pytestmark = pytest.mark.django_db
D = dt.date


def inline(rows, initial=0):
    data = {
        "special_days-TOTAL_FORMS": str(len(rows)),
        "special_days-INITIAL_FORMS": str(initial),
        "special_days-MIN_NUM_FORMS": "0",
        "special_days-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"special_days-{i}-{key}": value for key, value in row.items()})
    return data


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.SYSTEM_ADMIN, 200), (Role.SECURITY_ADMIN, 403), (Role.AUDIT_ADMIN, 403), (Role.CLERK, 302)],
)
def test_only_the_system_admin_keeps_the_calendar(client, role, status):
    client.force_login(staff(role, RegionFactory()))
    assert client.get("/admin/workdays/calendaryear/").status_code == status
    assert client.get("/admin/workdays/specialday/").status_code == status


@time_machine.travel("2026-11-22 10:00 +0800", tick=False)
def test_the_year_list_warns_when_next_year_is_missing(client, system_admin):
    client.force_login(system_admin)
    html = client.get("/admin/workdays/calendaryear/").content.decode()
    assert "2027 年的节假日安排尚未录入" in html
    assert "2026 年的节假日安排尚未录入" not in html


def test_an_admin_enters_a_whole_year_on_one_page(client, system_admin):
    client.force_login(system_admin)
    data = {"year": "2027", "is_published": "on", "published_by": "国办发明电〔2026〕1号", "note": ""}
    data |= inline(
        [
            {"on": "2027-10-01", "last_on": "2027-10-07", "kind": "holiday", "name": "国庆节"},
            {"on": "2027-10-09", "last_on": "", "kind": "makeup_workday", "name": "国庆节"},
        ]
    )

    response = client.post("/admin/workdays/calendaryear/add/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert CalendarYear.objects.get(year=2027).is_published
    assert SpecialDay.objects.filter(on__year=2027, kind="holiday").count() == 7
    assert Event.objects.filter(stream="workdays:calendar", action="workdays.day_added").count() == 8
    deadline = add_working_days(D(2027, 9, 30), 2, selectors.work_calendar())
    assert (deadline.on, deadline.provisional) == (D(2027, 10, 9), False)


def test_a_day_outside_the_year_is_refused_on_the_form(client, system_admin):
    client.force_login(system_admin)
    data = {"year": "2027", "published_by": "", "note": ""} | inline(
        [{"on": "2028-01-01", "last_on": "", "kind": "holiday", "name": "元旦"}]
    )
    response = client.post("/admin/workdays/calendaryear/add/", data)
    assert response.status_code == 200
    assert "日期须在 2027 年内" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_an_admin_adds_a_holiday_period_from_the_day_list(client, system_admin):
    client.force_login(system_admin)
    response = client.post(
        "/admin/workdays/specialday/add/",
        {"on": "2027-05-01", "last_on": "2027-05-05", "kind": "holiday", "name": "劳动节"},
    )
    assert response.status_code == 302
    assert SpecialDay.objects.filter(on__range=(D(2027, 5, 1), D(2027, 5, 5))).count() == 5


def test_an_admin_deletes_a_day_through_the_audited_service(client, system_admin):
    client.force_login(system_admin)
    day = SpecialDay.objects.get(on=D(2026, 10, 10))
    response = client.post(f"/admin/workdays/specialday/{day.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert Event.objects.filter(action="workdays.day_removed", target_id="2026-10-10").exists()


def test_the_pages_of_a_year_and_of_a_day_open(client, system_admin):
    client.force_login(system_admin)
    year_page = client.get("/admin/workdays/calendaryear/2026/change/")
    day = SpecialDay.objects.get(on=D(2026, 10, 10))
    day_page = client.get(f"/admin/workdays/specialday/{day.pk}/change/")
    assert year_page.status_code == 200 and "2026-10-10" in year_page.content.decode()
    assert day_page.status_code == 200 and "调休上班日" in day_page.content.decode()
    assert client.get("/admin/workdays/specialday/add/").status_code == 200


def test_an_admin_changes_a_day_from_the_year_page(client, system_admin):
    client.force_login(system_admin)
    days = list(SpecialDay.objects.filter(on__year=2026).order_by("on"))
    rows = [
        {"id": str(d.pk), "calendar_year": "2026", "on": f"{d.on}", "last_on": "", "kind": d.kind, "name": d.name}
        for d in days
    ]
    index = next(i for i, d in enumerate(days) if d.on == D(2026, 10, 10))
    rows[index]["kind"] = "holiday"
    data = {"is_published": "on", "published_by": "x", "note": ""} | inline(rows, initial=len(rows))

    response = client.post("/admin/workdays/calendaryear/2026/change/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert SpecialDay.objects.get(on=D(2026, 10, 10)).kind == "holiday"
    assert Event.objects.filter(action="workdays.day_changed", target_id="2026-10-10").exists()
    assert Event.objects.filter(action="workdays.year_changed", target_id="2026").exists()


def test_a_years_changes_show_under_its_admin_page(client):
    from onewindow.orgs.domain import Role
    from onewindow.orgs.tests.factories import RegionFactory, staff
    from onewindow.workdays.services import calendar_year_save

    admin_user = staff(Role.SYSTEM_ADMIN, RegionFactory())
    calendar_year_save(actor=admin_user, year=2027, is_published=True, published_by="国务院办公厅通知")
    client.force_login(admin_user)

    page = client.get("/admin/workdays/calendaryear/2027/change/").content.decode()

    assert "全程留痕" in page
    assert "修改年度节假日安排" in page or "新增年度节假日安排" in page
