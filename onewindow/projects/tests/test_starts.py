"""The actual start (实际开工): recorded when the office moves a project from 前期 to 新开工 (the day
given, by default the day of the change), cleared when the start slips back, corrected on its own
on a project that has started — through the service, the project's page and the API, each refusal
with its Chinese message and code and nothing changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from onewindow.errors import PermissionDenied
from onewindow.projects.domain import Phase, StartRefused
from onewindow.projects.models import PhaseChange, Project
from onewindow.projects.selectors.starts import project_starts
from onewindow.projects.services.registry import project_actual_start_set, project_change_phase
from onewindow.projects.tests.conftest import World, events
from onewindow.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 4, 3)


@pytest.fixture
def preparing(world: World) -> Project:
    """A project of the east district in 前期, about to break ground."""
    return ProjectFactory(district=world.east, phase=Phase.PREPARATION, name="滨江物流园")


@pytest.fixture
def on_the_day(time_machine: Any) -> None:
    """10:00 on TODAY in Shanghai."""
    time_machine.move_to(dt.datetime.combine(TODAY, dt.time(10), tzinfo=timezone.get_default_timezone()), tick=False)


def start(world: World, project: Project, **given: Any) -> PhaseChange:
    office = world.user("district_office")
    return project_change_phase(actor=office, project=project, to_phase=Phase.NEW_START, reason="主体开工", **given)


# --- the service ---------------------------------------------------------------------------------------


def test_the_start_records_the_day_given_in_the_same_event(world: World, preparing: Project) -> None:
    start(world, preparing, started_on=D(2026, 3, 28), today=TODAY)

    preparing.refresh_from_db()
    assert (preparing.phase, preparing.actual_start) == (Phase.NEW_START, D(2026, 3, 28))
    (event,) = events(preparing, "projects.phase_changed")
    assert event.changes == {
        "phase": ["preparation", "new_start"],
        "reason": "主体开工",
        "actual_start": [None, "2026-03-28"],
    }
    # Recorded in April, it is a new start of March (the ranking and the leaders' report count so).
    (march,) = [s for s in project_starts(D(2026, 3, 1), D(2026, 3, 31)) if s.project_id == preparing.pk]
    assert march.started
    assert not [s for s in project_starts(D(2026, 4, 1), D(2026, 4, 30)) if s.project_id == preparing.pk]


def test_without_a_day_the_start_is_the_local_day_of_the_change(world: World, preparing: Project, time_machine) -> None:
    # 07:30 in Shanghai is still the day before in UTC.
    time_machine.move_to(dt.datetime(2026, 4, 3, 7, 30, tzinfo=timezone.get_default_timezone()), tick=False)
    start(world, preparing)
    preparing.refresh_from_db()
    assert preparing.actual_start == D(2026, 4, 3)


@pytest.mark.parametrize(
    ("started_on", "code"),
    [(D(2026, 4, 4), "project_start_in_future"), (D(1926, 3, 28), "project_start_too_early")],
)
def test_a_start_day_in_the_future_or_mistyped_is_refused_and_nothing_changes(
    world: World, preparing: Project, started_on: dt.date, code: str
) -> None:
    with pytest.raises(StartRefused) as refused:
        start(world, preparing, started_on=started_on, today=TODAY)
    assert (refused.value.code, refused.value.field, refused.value.status) == (code, "started_on", 422)
    preparing.refresh_from_db()
    assert (preparing.phase, preparing.actual_start) == (Phase.PREPARATION, None)
    assert not PhaseChange.objects.exists() and events(preparing) == []


def test_a_start_day_given_for_another_move_is_refused(world: World) -> None:
    office = world.user("district_office")
    with pytest.raises(StartRefused) as refused:
        project_change_phase(
            actor=office, project=world.project, to_phase=Phase.COMPLETED, reason="竣工", started_on=D(2026, 3, 1)
        )
    assert refused.value.code == "project_started_on_not_applicable"
    world.project.refresh_from_db()
    assert world.project.phase == Phase.CONTINUING


def test_a_start_that_slips_back_into_preparation_is_cleared_and_recorded_again(
    world: World, preparing: Project
) -> None:
    office = world.user("district_office")
    start(world, preparing, started_on=D(2026, 3, 28), today=TODAY)
    project_change_phase(
        actor=office, project=preparing, to_phase=Phase.PREPARATION, reason="施工许可被撤销", today=TODAY
    )
    preparing.refresh_from_db()
    assert (preparing.phase, preparing.actual_start) == (Phase.PREPARATION, None)
    assert events(preparing, "projects.phase_changed")[-1].changes["actual_start"] == ["2026-03-28", None]

    start(world, preparing, started_on=D(2026, 4, 2), today=TODAY)
    preparing.refresh_from_db()
    assert preparing.actual_start == D(2026, 4, 2)


def test_the_office_corrects_a_recorded_start_once_with_its_event(world: World, preparing: Project) -> None:
    office = world.user("district_office")
    start(world, preparing, started_on=D(2026, 3, 28), today=TODAY)

    assert project_actual_start_set(actor=office, project=preparing, actual_start=D(2026, 3, 20), today=TODAY)
    assert not project_actual_start_set(actor=office, project=preparing, actual_start=D(2026, 3, 20), today=TODAY)

    preparing.refresh_from_db()
    assert preparing.actual_start == D(2026, 3, 20)
    (event,) = events(preparing, "projects.actual_start_set")
    assert (event.actor_id, event.changes) == (office.pk, {"actual_start": ["2026-03-28", "2026-03-20"]})


def test_a_started_project_without_a_recorded_start_gets_one(world: World) -> None:
    # Imported straight into 续建: nobody recorded its start.
    assert project_actual_start_set(
        actor=world.user("city_office"), project=world.project, actual_start=D(2025, 3, 9), today=TODAY
    )
    world.project.refresh_from_db()
    assert world.project.actual_start == D(2025, 3, 9)


def test_a_correction_is_refused_before_the_start_when_clearing_in_the_future_or_by_others(
    world: World, preparing: Project
) -> None:
    office = world.user("district_office")
    refusals = []
    with pytest.raises(StartRefused) as not_started:
        project_actual_start_set(actor=office, project=preparing, actual_start=D(2026, 3, 1), today=TODAY)
    refusals.append(not_started.value.code)
    start(world, preparing, started_on=D(2026, 3, 28), today=TODAY)
    for day in (None, D(2026, 4, 4)):
        with pytest.raises(StartRefused) as refused:
            project_actual_start_set(actor=office, project=preparing, actual_start=day, today=TODAY)
        refusals.append(refused.value.code)
    with pytest.raises(PermissionDenied):
        project_actual_start_set(actor=world.user("other_office"), project=preparing, actual_start=D(2026, 3, 1))

    assert refusals == ["project_not_started", "project_actual_start_required", "project_start_in_future"]
    preparing.refresh_from_db()
    assert preparing.actual_start == D(2026, 3, 28)
    assert events(preparing, "projects.actual_start_set") == []


# --- the project's page ----------------------------------------------------------------------------------


def signed_in(client: Any, world: World, who: str = "district_office") -> Any:
    client.force_login(world.user(who))
    return client


@pytest.mark.usefixtures("on_the_day")
def test_the_phase_form_asks_for_the_start_day_only_where_the_project_can_start(
    client: Any, world: World, preparing: Project
) -> None:
    page = signed_in(client, world).get(f"/projects/{preparing.pk}/").content.decode()
    assert 'name="started_on"' in page and 'value="2026-04-03"' in page  # today, by default
    assert 'data-ow-shown-if="id_to_phase=new_start"' in page

    continuing = client.get(f"/projects/{world.project.pk}/").content.decode()
    assert 'name="to_phase"' in continuing and 'name="started_on"' not in continuing


@pytest.mark.usefixtures("on_the_day")
def test_the_phase_form_records_the_start_day_typed_and_the_page_shows_it(
    client: Any, world: World, preparing: Project
) -> None:
    url = f"/projects/{preparing.pk}/phase/"
    response = signed_in(client, world).post(
        url, {"to_phase": "new_start", "reason": "主体开工", "started_on": "2026-03-28"}
    )

    assert response.status_code == 302
    preparing.refresh_from_db()
    assert (preparing.phase, preparing.actual_start) == (Phase.NEW_START, D(2026, 3, 28))
    page = client.get(response["Location"]).content.decode()
    assert "实际开工" in page and "2026-03-28" in page


@pytest.mark.usefixtures("on_the_day")
def test_a_start_day_in_the_future_is_refused_beside_the_field_with_the_reason_kept(
    client: Any, world: World, preparing: Project
) -> None:
    url = f"/projects/{preparing.pk}/phase/"
    response = signed_in(client, world).post(
        url, {"to_phase": "new_start", "reason": "提前开工", "started_on": "2026-05-01"}
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert "实际开工日期不能晚于今天（2026-04-03）" in page and "提前开工" in page
    preparing.refresh_from_db()
    assert (preparing.phase, preparing.actual_start) == (Phase.PREPARATION, None)


@pytest.mark.usefixtures("on_the_day")
def test_a_start_day_left_in_the_form_of_another_move_is_ignored(client: Any, world: World, preparing: Project) -> None:
    # The date input keeps today's date while hidden: moving back to 储备 must not record a start.
    url = f"/projects/{preparing.pk}/phase/"
    response = signed_in(client, world).post(url, {"to_phase": "reserve", "reason": "暂缓", "started_on": "2026-04-03"})
    assert response.status_code == 302
    preparing.refresh_from_db()
    assert (preparing.phase, preparing.actual_start) == (Phase.RESERVE, None)


@pytest.mark.usefixtures("on_the_day")
def test_the_edit_page_corrects_the_start_of_a_started_project_only(
    client: Any, world: World, preparing: Project
) -> None:
    client = signed_in(client, world)
    assert 'name="actual_start"' not in client.get(f"/projects/{preparing.pk}/edit/").content.decode()
    start(world, preparing, started_on=D(2026, 3, 28), today=TODAY)
    url = f"/projects/{preparing.pk}/edit/"
    form = client.get(url).context["form"]
    assert form.initial["actual_start"] == D(2026, 3, 28)
    data = {name: value for name, value in form.initial.items() if value is not None}

    future = client.post(url, data | {"actual_start": "2026-04-10", "name": "滨江物流园（一期）"})
    assert future.status_code == 422
    assert "实际开工日期不能晚于今天" in future.content.decode()
    preparing.refresh_from_db()
    assert (preparing.name, preparing.actual_start) == ("滨江物流园", D(2026, 3, 28))  # neither was saved

    assert client.post(url, data | {"actual_start": "2026-03-20"}).status_code == 302
    preparing.refresh_from_db()
    assert preparing.actual_start == D(2026, 3, 20)
    assert [e.changes for e in events(preparing, "projects.actual_start_set")] == [
        {"actual_start": ["2026-03-28", "2026-03-20"]}
    ]


# --- the API ---------------------------------------------------------------------------------------------


def phase(client: Any, project: Project, **body: Any) -> Any:
    return client.post(f"/api/projects/projects/{project.pk}/phase", body, content_type="application/json")


@pytest.mark.usefixtures("on_the_day")
def test_the_phase_endpoint_records_started_on_and_refuses_a_future_one(
    client: Any, world: World, preparing: Project
) -> None:
    client = signed_in(client, world)
    future = phase(client, preparing, to_phase="new_start", reason="开工", started_on="2026-04-04")
    assert (future.status_code, future.json()["code"]) == (422, "project_start_in_future")
    not_a_date = phase(client, preparing, to_phase="new_start", reason="开工", started_on="3月28日")
    assert not_a_date.status_code == 422

    started = phase(client, preparing, to_phase="new_start", reason="开工", started_on="2026-03-28")
    assert started.status_code == 200
    assert (started.json()["phase"], started.json()["actual_start"]) == ("new_start", "2026-03-28")


@pytest.mark.usefixtures("on_the_day")
def test_the_phase_endpoint_starts_today_without_started_on(client: Any, world: World, preparing: Project) -> None:
    started = phase(signed_in(client, world), preparing, to_phase="new_start", reason="开工")
    assert started.json()["actual_start"] == "2026-04-03"


def project_body(project: Project, **overrides: Any) -> dict[str, Any]:
    fields = ("code", "name", "owner_name", "owner_credit_code", "industry", "level")
    body = {name: getattr(project, name) for name in fields}
    return body | {"district": project.district.code, "total_investment": str(project.total_investment)} | overrides


@pytest.mark.usefixtures("on_the_day")
def test_the_update_endpoint_corrects_actual_start_only_when_given_and_started(
    client: Any, world: World, preparing: Project
) -> None:
    client = signed_in(client, world)
    url = f"/api/projects/projects/{preparing.pk}"
    early = client.put(url, project_body(preparing, actual_start="2026-03-01"), content_type="application/json")
    assert (early.status_code, early.json()["code"]) == (422, "project_not_started")

    start(world, preparing, started_on=D(2026, 3, 28), today=TODAY)
    kept = client.put(url, project_body(preparing, name="滨江物流园一期"), content_type="application/json")
    assert (kept.status_code, kept.json()["actual_start"]) == (200, "2026-03-28")
    cleared = client.put(url, project_body(preparing, actual_start=None), content_type="application/json")
    assert (cleared.status_code, cleared.json()["code"]) == (422, "project_actual_start_required")
    corrected = client.put(url, project_body(preparing, actual_start="2026-03-20"), content_type="application/json")
    assert (corrected.status_code, corrected.json()["actual_start"]) == (200, "2026-03-20")
