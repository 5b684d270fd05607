"""Progress reports, site reports and photos: who may enter them, the year to date, lateness, edits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from onewindow.audit.models import Event
from onewindow.dispatch.domain import CycleKind
from onewindow.dispatch.models import DispatchCycle, Photo, ProgressReport, SiteReport
from onewindow.dispatch.services.photos import photo_add, photo_remove
from onewindow.dispatch.services.reports import progress_report_submit, progress_reports_lock, site_report_submit
from onewindow.dispatch.tests.factories import JPEG_BYTES, World, jpeg, png, world
from onewindow.errors import Conflict, InvalidFields, PermissionDenied

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def w() -> World:
    return world()


def submit(w: World, who: str = "secretary", **kwargs: object) -> ProgressReport:
    values: dict[str, object] = {"invested_in_period": "1200.50", "progress_note": "主体封顶", "workers": "80"}
    values.update(kwargs)
    return progress_report_submit(actor=w.user(who), project=w.project, **values)  # type: ignore[arg-type]


def events(w: World, action: str) -> list[Event]:
    return list(Event.objects.filter(stream=f"project:{w.project.pk}", action=action))


def test_the_secretary_reports_the_current_period_of_the_default_monthly_cycle(w: World) -> None:
    report = submit(w, today=D(2026, 3, 18))

    assert (report.period_start, report.period_end) == (D(2026, 3, 1), D(2026, 3, 30))
    assert report.invested_in_period == report.invested_year_to_date == Decimal("1200.50")
    assert not report.is_late
    assert events(w, "dispatch.progress_report_submit")[0].changes["invested_in_period"] == "1200.50"


def test_the_default_cut_off_day_comes_from_the_setting(w: World, settings) -> None:
    settings.DISPATCH_DEFAULT_CUTOFF_DAY = 25
    report = submit(w, today=D(2026, 3, 26))
    assert (report.period_start, report.period_end) == (D(2026, 3, 26), D(2026, 4, 25))


def test_the_districts_own_cycle_wins_over_the_citys(w: World) -> None:
    DispatchCycle.objects.create(region=w.city, kind=CycleKind.MONTHLY, cutoff_day=20)
    assert submit(w, today=D(2026, 3, 18)).period_end == D(2026, 3, 20)
    DispatchCycle.objects.create(region=w.east, kind=CycleKind.TEN_DAY)
    assert submit(w, today=D(2026, 3, 25)).period_end == D(2026, 3, 31)


def test_a_second_submission_for_the_period_edits_the_first_with_its_own_audit_event(w: World) -> None:
    first = submit(w, today=D(2026, 3, 10))
    again = submit(w, "district_office", invested_in_period="900", today=D(2026, 3, 12))

    assert again.pk == first.pk
    assert ProgressReport.objects.count() == 1
    assert again.invested_year_to_date == Decimal("900.00")
    assert again.submitted_by == w.user("secretary")
    edit = events(w, "dispatch.progress_report_edit")[0]
    assert edit.changes["invested_in_period"] == {"from": "1200.50", "to": "900.00"}
    assert edit.actor_id == w.user("district_office").pk


def test_year_to_date_sums_this_years_periods_and_a_correction_moves_the_later_ones(w: World) -> None:
    january = submit(w, invested_in_period="100", today=D(2026, 1, 20))
    submit(w, invested_in_period="200", today=D(2026, 2, 20))
    march = submit(w, invested_in_period="300", today=D(2026, 3, 20))
    assert march.invested_year_to_date == Decimal("600.00")

    submit(w, invested_in_period="150", period_end=january.period_end, today=D(2026, 3, 21))

    ytd = dict(ProgressReport.objects.values_list("period_end__month", "invested_year_to_date"))
    assert ytd == {1: Decimal("150.00"), 2: Decimal("350.00"), 3: Decimal("650.00")}


def test_a_late_report_for_a_missed_period_is_marked_late_and_counted_in_the_later_ones(w: World) -> None:
    submit(w, invested_in_period="100", today=D(2026, 1, 20))
    march = submit(w, invested_in_period="300", today=D(2026, 3, 20))

    february = submit(w, invested_in_period="50", period_end=D(2026, 2, 28), today=D(2026, 3, 21))

    march.refresh_from_db()
    assert february.is_late and not march.is_late
    assert (february.invested_year_to_date, march.invested_year_to_date) == (Decimal("150.00"), Decimal("450.00"))


def test_a_new_year_starts_again_from_zero(w: World) -> None:
    submit(w, invested_in_period="100", today=D(2025, 12, 20))
    january = submit(w, invested_in_period="40", today=D(2026, 1, 20))
    assert january.invested_year_to_date == Decimal("40.00")


def test_a_date_that_is_no_cut_off_or_a_period_not_yet_begun_is_refused(w: World) -> None:
    with pytest.raises(InvalidFields) as wrong_day:
        submit(w, period_end=D(2026, 3, 18), today=D(2026, 3, 18))
    with pytest.raises(InvalidFields) as future:
        submit(w, period_end=D(2026, 5, 30), today=D(2026, 3, 18))

    assert "不是本项目调度周期的截止日" in wrong_day.value.errors["period_end"]
    assert future.value.errors["period_end"] == "该期尚未开始，不能填报"
    assert not ProgressReport.objects.exists()


def test_every_wrong_field_is_reported_at_once_and_nothing_is_written(w: World) -> None:
    with pytest.raises(InvalidFields) as refused:
        submit(w, invested_in_period="-5", progress_note=" ", workers="很多", today=D(2026, 3, 18))

    assert set(refused.value.errors) == {"invested_in_period", "progress_note", "workers"}
    assert refused.value.errors["invested_in_period"] == "金额不能为负数"
    assert not ProgressReport.objects.exists()
    assert not events(w, "dispatch.progress_report_submit")


@pytest.mark.parametrize("who", ["leader", "commissioner", "other_office", "stranger"])
def test_only_the_secretary_the_chief_service_person_and_the_office_report(w: World, who: str) -> None:
    with pytest.raises(PermissionDenied):
        submit(w, who, today=D(2026, 3, 18))
    assert not ProgressReport.objects.exists()


def test_a_locked_period_refuses_edits_and_photos(w: World) -> None:
    report = submit(w, today=D(2026, 3, 18))
    assert progress_reports_lock(through=D(2026, 3, 31)) == 1

    with pytest.raises(Conflict):
        submit(w, invested_in_period="1", today=D(2026, 3, 19))
    with pytest.raises(Conflict):
        photo_add(actor=w.user("secretary"), report=report, upload=jpeg())
    report.refresh_from_db()
    assert report.invested_in_period == Decimal("1200.50")


def test_a_photo_is_stored_under_its_own_name_with_its_hash(w: World) -> None:
    report = submit(w, today=D(2026, 3, 18))

    photo = photo_add(actor=w.user("secretary"), report=report, upload=jpeg("../../etc/passwd.jpg"), caption="塔吊")
    second = photo_add(actor=w.user("secretary"), report=report, upload=png())

    assert photo.content_type == "image/jpeg" and second.content_type == "image/png"
    assert photo.sha256 == __import__("hashlib").sha256(JPEG_BYTES).hexdigest()
    assert photo.file.name.endswith(f"{photo.sha256[:20]}.jpg") and "passwd" not in photo.file.name
    assert photo.file.read() == JPEG_BYTES
    assert len(events(w, "dispatch.photo_add")) == 2


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("fake.jpg", b"%PDF-1.7 not a photo", content_type="image/jpeg"), "JPEG 或 PNG"),
        (SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"\x00" * (5 * 1024 * 1024)), "5 MB"),
        (SimpleUploadedFile("empty.png", b""), "为空"),
    ],
    ids=["pdf-named-jpg", "over-5-mb", "empty"],
)
def test_a_file_that_is_no_small_jpeg_or_png_is_refused(w: World, upload: SimpleUploadedFile, message: str) -> None:
    report = submit(w, today=D(2026, 3, 18))
    with pytest.raises(InvalidFields) as refused:
        photo_add(actor=w.user("secretary"), report=report, upload=upload)
    assert message in refused.value.errors["file"]
    assert not Photo.objects.exists()


def test_a_photo_is_removed_by_a_reporter_only(w: World) -> None:
    report = submit(w, today=D(2026, 3, 18))
    photo = photo_add(actor=w.user("secretary"), report=report, upload=jpeg())
    with pytest.raises(PermissionDenied):
        photo_remove(actor=w.user("leader"), photo=photo)

    photo_remove(actor=w.user("district_office"), photo=photo)

    assert not Photo.objects.exists()
    assert events(w, "dispatch.photo_remove")[0].actor_id == w.user("district_office").pk


def test_one_site_report_per_day_a_second_one_edits_it(w: World) -> None:
    first = site_report_submit(
        actor=w.user("secretary"), project=w.project, workers="120", machines="8", today=D(2026, 3, 18)
    )
    again = site_report_submit(
        actor=w.user("secretary"), project=w.project, workers="130", machines="9", note="浇筑", today=D(2026, 3, 18)
    )
    next_day = site_report_submit(
        actor=w.user("secretary"), project=w.project, workers="0", machines="0", today=D(2026, 3, 19)
    )

    assert again.pk == first.pk and next_day.pk != first.pk
    assert SiteReport.objects.get(pk=first.pk).workers == 130
    assert [e.action for e in Event.objects.filter(stream=f"project:{w.project.pk}").order_by("seq")] == [
        "dispatch.site_report_submit",
        "dispatch.site_report_edit",
        "dispatch.site_report_submit",
    ]
    photo = photo_add(actor=w.user("secretary"), report=next_day, upload=jpeg())
    assert photo.site_report == next_day


def test_a_site_report_with_wrong_counts_is_refused(w: World) -> None:
    with pytest.raises(InvalidFields) as refused:
        site_report_submit(actor=w.user("secretary"), project=w.project, workers="-1", machines="x")
    assert set(refused.value.errors) == {"workers", "machines"}
    with pytest.raises(PermissionDenied):
        site_report_submit(actor=w.user("leader"), project=w.project, workers="1", machines="1")
    assert not SiteReport.objects.exists()
