"""The staff's settings pages, the desk's booking for a caller and the applicant's reschedule page: what
a user sees, the Chinese message beside the field on bad input (never a 500), what they typed kept."""

import datetime as dt

import pytest
from django.utils import timezone

from onewindow.audit.models import Event
from onewindow.halls import selectors
from onewindow.halls.models import Booking, Closure, Duty, HallProfile, OpeningHours, WindowProfile
from onewindow.halls.tests.factories import hall_world
from onewindow.halls.tests.test_permissions import _settings_form
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Applicant, Hall
from onewindow.orgs.tests.factories import RegionFactory, UserFactory, staff, valid_resident_id
from onewindow.workdays.selectors import work_calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return hall_world(RegionFactory())


def _open_day(w):
    day = timezone.localdate() + dt.timedelta(days=1)
    while not selectors.slots_of_day(w.hall, w.business, day, work_calendar()):
        day += dt.timedelta(days=1)
    return day


def _signed_in(client, user):
    client.force_login(user)
    return client


def test_the_admin_saves_the_halls_settings(client, world):
    admin = _signed_in(client, staff(Role.SYSTEM_ADMIN, world.hall.region))
    form = _settings_form(world.hall) | {"slot_minutes": "20", "weekend_service": "on"}
    del form["open_6"]
    response = admin.post(f"/halls/desk/{world.hall.pk}/settings/", form, follow=True)
    assert "大厅设置已保存" in response.content.decode()
    profile = HallProfile.objects.get(hall=world.hall)
    assert profile.slot_minutes == 20 and profile.weekend_service
    assert not OpeningHours.objects.filter(hall=world.hall, weekday=6).exists()
    assert Event.objects.filter(action="halls.settings_changed").count() == 1


def test_bad_settings_show_each_error_beside_its_field(client, world):
    admin = _signed_in(client, staff(Role.SYSTEM_ADMIN, world.hall.region))
    form = _settings_form(world.hall) | {"slot_minutes": "abc", "daily_limit": "99", "closes_0": "08:00"}
    response = admin.post(f"/halls/desk/{world.hall.pk}/settings/", form)
    page = response.content.decode()
    assert response.status_code == 422
    assert "请填写整数。" in page and "应在 1 至 20 之间。" not in page  # unreadable input is named first
    assert 'value="abc"' in page and 'value="99"' in page  # what was typed is kept
    response = admin.post(f"/halls/desk/{world.hall.pk}/settings/", form | {"slot_minutes": "30"})
    page = response.content.decode()
    assert response.status_code == 422 and "应在 1 至 20 之间。" in page and "关门时间应晚于开门时间。" in page
    assert HallProfile.objects.get(hall=world.hall).daily_limit == 2


def test_closures_are_added_and_removed_from_the_settings_page(client, world):
    admin = _signed_in(client, staff(Role.SYSTEM_ADMIN, world.hall.region))
    url = f"/halls/desk/{world.hall.pk}/closures/"
    refused = admin.post(url, {"closure_on": "", "reason": ""})
    assert refused.status_code == 422 and "请选择日期。" in refused.content.decode()
    day = (timezone.localdate() + dt.timedelta(days=4)).isoformat()
    refused = admin.post(url, {"closure_on": day, "reason": ""})
    assert refused.status_code == 422 and "请填写闭厅原因。" in refused.content.decode()
    admin.post(url, {"closure_on": day, "reason": "停电检修"})
    closure = Closure.objects.get(hall=world.hall)
    assert "停电检修" in admin.get(f"/halls/desk/{world.hall.pk}/settings/").content.decode()
    admin.post(f"/halls/desk/{world.hall.pk}/closures/{closure.pk}/remove/")
    assert not Closure.objects.exists()


def test_a_window_is_set_from_the_windows_page(client, world):
    admin = _signed_in(client, staff(Role.SYSTEM_ADMIN, world.hall.region))
    url = f"/halls/desk/windows/{world.windows[0].pk}/"
    refused = admin.post(url, {"kind": "specialised", "categories": [world.social.pk], "matters": ""})
    assert refused.status_code == 422 and "专业窗口请填写专办事项。" in refused.content.decode()
    admin.post(
        url, {"kind": "specialised", "categories": [world.social.pk], "matters": "居住证", "weekend_service": "on"}
    )
    profile = WindowProfile.objects.get(window=world.windows[0])
    assert (
        profile.kind == "specialised" and profile.weekend_service and list(profile.categories.all()) == [world.social]
    )
    assert "居住证" in admin.get(f"/halls/desk/{world.hall.pk}/windows/").content.decode()


def test_the_roster_week(client, world):
    admin = _signed_in(client, staff(Role.SYSTEM_ADMIN, world.hall.region))
    clerk = staff(Role.CLERK, world.hall.region, name="李雨桐")
    stranger = staff(Role.CLERK, RegionFactory(), name="外区人员")
    day = timezone.localdate() + dt.timedelta(days=2)
    url = f"/halls/desk/{world.hall.pk}/roster/"
    page = admin.get(url + f"?week={day.isoformat()}").content.decode()
    assert "李雨桐" in page and "外区人员" not in page
    add = {"window": world.windows[0].pk, "on": day.isoformat(), "week": day.isoformat()}
    refused = admin.post(url + "add/", add | {"clerk": stranger.pk})
    assert refused.status_code == 422 and "请选择本大厅所属单位（含下级）的窗口人员。" in refused.content.decode()
    admin.post(url + "add/", add | {"clerk": clerk.pk})
    assert Duty.objects.get().clerk == clerk
    assert "李雨桐" in admin.get(url + f"?week={day.isoformat()}").content.decode().split("ow-halls-roster")[1]


def test_a_clerk_books_for_a_caller_from_the_desk(client, world):
    clerk = _signed_in(client, staff(Role.CLERK, world.hall.region))
    day = _open_day(world)
    desk = f"/halls/desk/{world.hall.pk}/"
    assert "代来电人预约" in clerk.get(desk + f"?on={day.isoformat()}").content.decode()
    form = {"name": "王小明", "phone": "13912345678", "category": world.business.pk, "on": day.isoformat()}
    form |= {"starts": "10:00"}
    refused = clerk.post(desk + "book/", form | {"id_number": "110105198001011230"})
    page = refused.content.decode()
    assert refused.status_code == 422 and "居民身份证号码校验位错误，请核对最后一位" in page
    assert 'value="王小明"' in page and not Applicant.objects.exists()
    clerk.post(desk + "book/", form | {"id_number": valid_resident_id()})
    booking = Booking.objects.get()
    assert booking.channel == "clerk" and booking.person.name == "王小明"
    page = clerk.get(desk + f"?on={day.isoformat()}").content.decode()
    assert booking.code in page and "王**" in page and "13912345678" not in page


def test_the_applicant_reschedules_and_cancels_from_their_page(client, world):
    person = UserFactory()
    day = _open_day(world)
    booking = Booking.objects.create(
        hall=world.hall, category=world.business, person=person, on=day, starts=dt.time(9), code="RESCHED1"
    )
    me = _signed_in(client, person)
    assert f"/halls/book/{booking.pk}/reschedule/" in me.get("/halls/book/").content.decode()
    page = me.get(f"/halls/book/{booking.pk}/reschedule/").content.decode()
    assert "改约到此时段" in page and "取消预约" in page
    closed = me.post(f"/halls/book/{booking.pk}/reschedule/", {"on": day.isoformat(), "starts": "03:00"})
    assert closed.status_code == 422 and "大厅在该时段不办公。" in closed.content.decode()
    assert Booking.objects.get(pk=booking.pk).status == "booked"
    me.post(f"/halls/book/{booking.pk}/reschedule/", {"on": day.isoformat(), "starts": "10:00"})
    moved = Booking.objects.get(person=person, status="booked")
    assert moved.starts == dt.time(10) and moved.channel == "online"
    assert Booking.objects.get(pk=booking.pk).status == "cancelled"


def test_a_hall_without_settings_is_opened_for_booking_by_its_first_saved_settings(client, world):
    bare = Hall.objects.create(region=world.hall.region, name="新建便民服务中心")
    admin = _signed_in(client, staff(Role.SYSTEM_ADMIN, world.hall.region))
    assert admin.get(f"/halls/desk/{bare.pk}/settings/").status_code == 200
    later = (timezone.localdate() + dt.timedelta(days=4)).isoformat()
    admin.post(f"/halls/desk/{bare.pk}/closures/", {"closure_on": later, "reason": "装修"})
    assert Closure.objects.filter(hall=bare).exists()
    assert not selectors.halls_open_for_booking().filter(pk=bare.pk).exists()  # nothing saved it open
    assert admin.get(f"/halls/desk/{bare.pk}/").status_code == 200
    form = {"id_number": valid_resident_id(), "name": "王小明", "on": later, "starts": "09:00", "category": ""}
    assert admin.post(f"/halls/desk/{bare.pk}/book/", form).status_code == 422  # no category to choose
    admin.post(f"/halls/desk/{bare.pk}/settings/", _settings_form(world.hall))
    assert selectors.halls_open_for_booking().filter(pk=bare.pk).exists()
