"""The reform results on a small world built through the real services (March 2026, every step at 10:00
Shanghai): a matter of the home district asked two required materials with a promised limit of 10 working
days; from Monday 16 March (the reform) its new version asks one, promised in 5.

- before: two cases, submitted Mon 2 and Tue 3 March, approved Thu 12 and Fri 13 March (8 working days each);
- after: two cases, submitted Mon 16 and Tue 17 March, approved Fri 20 and Mon 23 March (4 working days each),
  and one submitted Wed 18 March still in review;
- another district: one case of its own matter, never counted.
Today is Monday 30 March: fourteen days of cases before the reform, fourteen after.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from onewindow.analytics.models import Reform
from onewindow.analytics.reforms.selectors import months_of
from onewindow.analytics.reforms.services import ReformInput, reform_record
from onewindow.analytics.reforms.tables import reform_ask, reform_results
from onewindow.api.auth import token_issue
from onewindow.audit.models import Event
from onewindow.cases.models import Case, Task
from onewindow.cases.services import review
from onewindow.cases.services.intake import case_accept
from onewindow.cases.tests.factories import (
    clerk_for,
    department,
    published_matter,
    region,
    reviewer_for,
    submitted_case,
)
from onewindow.catalogue.models import MatterVersion
from onewindow.catalogue.services import (
    materials_of,
    matter_content_of,
    matter_version_draft_from,
    matter_version_publish,
    matter_version_update,
)
from onewindow.errors import InvalidFields, NotFound, PermissionDenied
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.tests.factories import staff
from onewindow.xlsx import read_sheets

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
REFORM_DAY = dt.date(2026, 3, 16)
TODAY = dt.datetime(2026, 3, 30, 9, tzinfo=SHANGHAI)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)


@dataclass
class World:
    home: Organisation
    department: Organisation
    old: MatterVersion
    new: MatterVersion
    admin: User
    leader: User
    other_leader: User
    reform: Reform
    before: list[Case]
    after: list[Case]
    open_case: Case


def _decided(version: MatterVersion, submitted: dt.date, approved: dt.date, time_machine) -> Case:
    time_machine.move_to(at(submitted), tick=False)
    case = submitted_case(matter_version=version)
    case_accept(actor=clerk_for(case.region), case=case)
    time_machine.move_to(at(approved), tick=False)
    task = Task.objects.get(case=case)
    review.task_approve(actor=reviewer_for(task.department), task=task)
    return case


def _reformed(old: MatterVersion) -> MatterVersion:
    """The new version from the reform day: promised in 5 working days, the business licence no longer asked."""
    draft = matter_version_draft_from(actor=None, version=old)
    content = replace(matter_content_of(old), promised_limit_days=5)
    materials = [m for m in materials_of(old) if m.key != "business_licence"]
    draft = matter_version_update(actor=None, version=draft, content=content, materials=materials)
    return matter_version_publish(actor=None, version=draft, valid_from=REFORM_DAY)


def build(time_machine) -> World:
    time_machine.move_to(at(dt.date(2026, 3, 1)), tick=False)
    home = region()
    dept = department(home)
    old = published_matter(department=dept, promised_limit_days=10, name="排水许可")
    before = [
        _decided(old, dt.date(2026, 3, 2), dt.date(2026, 3, 12), time_machine),
        _decided(old, dt.date(2026, 3, 3), dt.date(2026, 3, 13), time_machine),
    ]
    time_machine.move_to(at(dt.date(2026, 3, 13), 18), tick=False)
    new = _reformed(old)
    after = [
        _decided(new, REFORM_DAY, dt.date(2026, 3, 20), time_machine),
        _decided(new, dt.date(2026, 3, 17), dt.date(2026, 3, 23), time_machine),
    ]
    time_machine.move_to(at(dt.date(2026, 3, 18)), tick=False)
    open_case = submitted_case(matter_version=new)
    case_accept(actor=clerk_for(open_case.region), case=open_case)
    other = region()
    _decided(published_matter(department=department(other)), dt.date(2026, 3, 17), dt.date(2026, 3, 19), time_machine)
    time_machine.move_to(TODAY, tick=False)
    admin = staff(Role.SYSTEM_ADMIN, home)
    data = ReformInput(
        title="排水许可减材料改革",
        document_number="清政办发〔2026〕3号",
        effective_on=REFORM_DAY,
        organisation_id=home.pk,
        description="承诺时限由10个工作日压减至5个工作日。",
        matter_ids=[old.matter_id],
    )
    reform = reform_record(actor=admin, data=data)
    return World(
        home,
        dept,
        old,
        new,
        admin,
        staff(Role.LEADER, home),
        staff(Role.LEADER, other),
        reform,
        before,
        after,
        open_case,
    )


@pytest.fixture
def world(time_machine) -> World:
    return build(time_machine)


def results(world: World, user: User | None = None, months: str = "", **filters: int | None):
    ask = reform_ask(user or world.leader, world.reform.pk, months, filters.get("region"), filters.get("department"))
    return reform_results(user or world.leader, ask, TODAY.date())


# --- recording ----------------------------------------------------------------------------------------------


def test_recording_a_reform_writes_it_and_its_audit_event(world):
    reform = world.reform
    assert (reform.organisation, reform.effective_on, reform.recorded_by) == (world.home, REFORM_DAY, world.admin)
    assert list(reform.matters.all()) == [world.old.matter] and not reform.bundles.exists()
    [event] = Event.objects.filter(stream=f"reform:{reform.pk}")
    assert (event.action, event.actor_id) == ("analytics.reform_recorded", world.admin.pk)
    assert event.target_type == "analytics.reform"
    assert event.changes["document_number"] == "清政办发〔2026〕3号"
    assert event.changes["matters"] == [world.old.matter.code]


def test_recording_refuses_every_problem_at_once_and_keeps_nothing(world):
    other_matter = published_matter(department=department(region()))
    data = ReformInput(
        title=" ",
        document_number="清政办发〔2026〕3号",  # taken
        effective_on="2026-13-01",
        organisation_id=world.home.pk,
        matter_ids=[other_matter.matter_id],
    )
    with pytest.raises(InvalidFields) as refused:
        reform_record(actor=world.admin, data=data)
    assert refused.value.code == "analytics_reform_invalid"
    assert set(refused.value.errors) == {"title", "document_number", "effective_on", "matters"}
    empty = ReformInput(title="改革", document_number="新文号", effective_on=REFORM_DAY, organisation_id=world.home.pk)
    with pytest.raises(InvalidFields) as nothing:
        reform_record(actor=world.admin, data=empty)
    assert nothing.value.errors == {"matters": "请至少选择一个事项或一件事。"}
    assert Reform.objects.count() == 1 and Event.objects.filter(action="analytics.reform_recorded").count() == 1


def test_only_a_system_admin_records_and_only_for_a_region_in_scope(world):
    data = ReformInput(title="改革", document_number="新文号", effective_on=REFORM_DAY, organisation_id=world.home.pk)
    with pytest.raises(PermissionDenied):
        reform_record(actor=world.leader, data=replace(data, matter_ids=[world.old.matter_id]))
    other_admin = staff(Role.SYSTEM_ADMIN, region())
    with pytest.raises(NotFound):
        reform_record(actor=other_admin, data=replace(data, matter_ids=[world.old.matter_id]))


# --- the results --------------------------------------------------------------------------------------------


def test_before_and_after_on_the_same_matter(world):
    r = results(world)
    assert r.windows is not None
    assert (r.windows.before.first, r.windows.before.last) == (dt.date(2026, 3, 2), dt.date(2026, 3, 15))
    assert (r.windows.after.first, r.windows.after.last) == (REFORM_DAY, dt.date(2026, 3, 29))
    assert r.windows.bounded  # three months asked, fourteen days of cases before the reform
    [(_subject, name, change)] = r.by_subject
    assert name == "排水许可"
    before, after = change.before, change.after
    assert (before.cases, before.decided, before.materials, before.steps, before.promised_days) == (2, 2, 2, 2, 10)
    assert (before.working_p50, before.working_p90) == (8, 8)
    assert (after.cases, after.decided, after.materials, after.steps, after.promised_days) == (3, 2, 1, 2, 5)
    assert (after.working_p50, after.working_p90) == (4, 4)
    assert r.headline == "减少申请材料1件（50%）、审批环节不变、承诺时限压减50%、办理时间提速50%"
    total = r.table("reform_total").rows
    assert [row["side"] for row in total] == ["改革前", "改革后", "变化"]
    assert (total[0]["cases"], total[1]["cases"], total[2]["materials"], total[2]["working_p50"]) == (
        2,
        3,
        "−1（−50%）",
        "−50%",
    )
    assert total[0]["cases_url"] == f"/analytics/reforms/{world.reform.pk}/cases/?months=3&side=before"


def test_the_months_and_filters_narrow_the_comparison(world):
    short = results(world, months="1")
    assert short.windows is not None and short.windows.days == 14  # still bounded by the data
    theirs = results(world, department=world.department.pk)
    assert theirs.by_subject[0][2].before.cases == 2
    with pytest.raises(InvalidFields) as wrong:
        months_of("13")
    assert wrong.value.code == "analytics_reform_months_invalid"


def test_another_districts_leader_sees_neither_the_reform_nor_its_cases(world):
    with pytest.raises(NotFound):
        results(world, world.other_leader)
    with pytest.raises(NotFound):
        results(world, department=department(region()).pk)


def test_a_reform_without_cases_on_both_sides_says_so(world, time_machine):
    time_machine.move_to(at(dt.date(2026, 3, 15)), tick=False)
    ask = reform_ask(world.leader, world.reform.pk, "", None, None)
    r = reform_results(world.leader, ask, dt.date(2026, 3, 15))
    assert (r.windows, r.headline, r.table("reform_total").rows) == (None, "", [])
    assert r.sentence.endswith("实施前后暂无可比较的办件。")


def test_the_queries_do_not_grow_with_the_cases(world, time_machine, django_assert_max_num_queries):
    results(world)
    with django_assert_max_num_queries(25) as small:
        results(world)
    for day in (dt.date(2026, 3, 4), dt.date(2026, 3, 24)):
        _decided(world.old if day < REFORM_DAY else world.new, day, day + dt.timedelta(days=2), time_machine)
    time_machine.move_to(TODAY, tick=False)
    with django_assert_max_num_queries(25) as large:
        results(world)
    assert len(large.captured_queries) == len(small.captured_queries)


# --- pages, exports, API ------------------------------------------------------------------------------------


def test_the_pages_at_debug_0_link_each_figure_to_its_cases(world, client, settings):
    settings.DEBUG = False
    client.force_login(world.leader)
    listing = client.get("/analytics/reforms/").content.decode()
    assert f'<a href="/analytics/reforms/{world.reform.pk}/">排水许可减材料改革</a>' in listing
    assert "减少申请材料1件（50%）" in listing and 'id="reform-record"' not in listing  # a leader records nothing
    page = client.get(f"/analytics/reforms/{world.reform.pk}/").content.decode()
    assert 'id="reform-headline"' in page and "办理时间提速50%" in page and 'id="analytics-reform"' in page
    subject = f"matter-{world.old.matter_id}"
    before = f"/analytics/reforms/{world.reform.pk}/cases/?months=3&amp;side=before&amp;subject={subject}"
    assert f'<a href="{before}">2</a>' in page
    cases = client.get(f"/analytics/reforms/{world.reform.pk}/cases/?side=before&subject=matter-{world.old.matter_id}")
    text = cases.content.decode()
    assert all(f'<a href="/cases/{c.pk}/">{c.number}</a>' in text for c in world.before)
    assert not any(c.number in text for c in world.after)
    after = client.get(f"/analytics/reforms/{world.reform.pk}/cases/?side=after").content.decode()
    assert world.open_case.number in after and "共 3 件" in after
    wrong = client.get(f"/analytics/reforms/{world.reform.pk}/?months=abc")
    assert wrong.status_code == 200 and "比较时长应为 1 至 12 的整数（月）。" in wrong.content.decode()
    assert client.get(f"/analytics/reforms/{world.reform.pk}/cases/?subject=matter-999999").status_code == 404
    assert 'href="/analytics/reforms/"' in client.get("/analytics/").content.decode()  # the tab


def test_a_system_admin_records_a_reform_from_the_page(world, client):
    client.force_login(world.admin)
    page = client.get("/analytics/reforms/").content.decode()
    assert 'id="reform-record"' in page and f'<option value="{world.old.matter_id}">' in page
    body = {
        "title": "第二项改革",
        "document_number": "清政办发〔2026〕4号",
        "effective_on": "2026-03-16",
        "organisation": str(world.home.pk),
        "matters": [str(world.old.matter_id)],
        "description": "",
    }
    response = client.post("/analytics/reforms/", body)
    reform = Reform.objects.get(document_number="清政办发〔2026〕4号")
    assert response.status_code == 302 and response["Location"] == f"/analytics/reforms/{reform.pk}/"
    again = client.post("/analytics/reforms/", body | {"title": ""})
    text = again.content.decode()
    assert again.status_code == 422 and "请填写改革名称" in text and "该文号的改革已登记。" in text
    assert f'<option value="{world.old.matter_id}" selected>' in text  # what was chosen is kept


def test_the_exports_have_every_table(world, client):
    client.force_login(world.leader)
    response = client.get(f"/analytics/reforms/{world.reform.pk}/export/")
    sheets = read_sheets(
        io.BytesIO(b"".join(response.streaming_content)),
        ["改革成效合计（各事项、一件事之和）", "按事项、一件事"],
        max_bytes=10_000_000,
        max_rows=1000,
    )
    assert sheets["按事项、一件事"][2][:5] == ("排水许可", "事项", "改革前", "2026-03-02 至 2026-03-15", 2)
    cases = client.get(f"/analytics/reforms/{world.reform.pk}/cases/export/?side=before")
    rows = read_sheets(
        io.BytesIO(b"".join(cases.streaming_content)), ["改革前后的办件"], max_bytes=10_000_000, max_rows=1000
    )["改革前后的办件"]
    assert [r[0] for r in rows[2:]] == [c.number for c in world.before]
    assert rows[2][9] == 8  # working days
    listing = client.get("/analytics/reforms/export/")
    assert listing.status_code == 200


def test_the_api_with_a_bearer_token(world):
    client = Client()
    headers = {"Authorization": f"Bearer {token_issue(world.leader).token}"}
    listing = client.get("/api/analytics/reforms", headers=headers).json()
    [reform] = listing["reforms"]
    assert reform["document_number"] == "清政办发〔2026〕3号"
    assert reform["subjects"] == [
        {"kind": "matter", "id": world.old.matter_id, "code": world.old.matter.code, "name": "排水许可"}
    ]
    assert reform["headline"].startswith("减少申请材料1件（50%）")
    detail = client.get(f"/api/analytics/reforms/{world.reform.pk}?months=2", headers=headers).json()
    assert (detail["months"], detail["before"], detail["after"]["first"]) == (
        2,
        {"first": "2026-03-02", "last": "2026-03-15"},
        "2026-03-16",
    )
    assert [t["key"] for t in detail["tables"]] == ["reform_total", "reform_by_subject"]
    cases = client.get(f"/api/analytics/reforms/{world.reform.pk}/cases?side=after&limit=2", headers=headers).json()
    assert cases["count"] == 3 and [i["number"] for i in cases["items"]] == [c.number for c in world.after]
    assert cases["items"][0]["working_days"] == 4 and cases["items"][0]["materials"] == 1
    wrong = client.get(f"/api/analytics/reforms/{world.reform.pk}?months=0", headers=headers)
    assert (wrong.status_code, wrong.json()["code"]) == (422, "analytics_reform_months_invalid")
    missing = client.get("/api/analytics/reforms/999999", headers=headers)
    assert (missing.status_code, missing.json()["code"]) == (404, "analytics_reform_not_found")


def test_the_api_records_a_reform_for_a_system_admin(world):
    client = Client()
    body = {
        "title": "第二项改革",
        "document_number": "清政办发〔2026〕5号",
        "effective_on": "2026-03-16",
        "organisation": world.home.pk,
        "matters": [world.old.matter_id],
    }
    admin = {"Authorization": f"Bearer {token_issue(world.admin).token}"}
    created = client.post("/api/analytics/reforms", body, content_type="application/json", headers=admin)
    assert created.status_code == 201, created.content
    assert created.json()["headline"].startswith("减少申请材料1件")
    again = client.post("/api/analytics/reforms", body, content_type="application/json", headers=admin)
    assert (again.status_code, again.json()["code"]) == (422, "analytics_reform_invalid")
    leader = {"Authorization": f"Bearer {token_issue(world.leader).token}"}
    refused = client.post("/api/analytics/reforms", body, content_type="application/json", headers=leader)
    assert (refused.status_code, refused.json()["code"]) == (403, "analytics_reform_forbidden")


def test_the_monthly_report_tells_the_reform_and_its_results(world, client):
    client.force_login(world.leader)
    page = client.get("/analytics/report/?month=2026-03").content.decode()
    sentence = (
        "“排水许可减材料改革”（清政办发〔2026〕3号，2026年3月16日起实施）实施前后各14天的办件相比，"
        "减少申请材料1件（50%）、审批环节不变、承诺时限压减50%、办理时间提速50%。"
    )
    assert sentence in page  # in the headline: the reform took effect this month
    body = client.get("/api/analytics/report?month=2026-03").json()
    assert body["headline"].endswith(sentence)
    [economy] = [s for s in body["sections"] if s["heading"] == "三、服务经济发展"]
    [table] = [t for t in economy["tables"] if t["key"] == "reform_results"]
    assert table["rows"] == [
        {
            "title": "排水许可减材料改革",
            "document_number": "清政办发〔2026〕3号",
            "effective_on": "2026-03-16",
            "days": 14,
            "results": "减少申请材料1件（50%）、审批环节不变、承诺时限压减50%、办理时间提速50%",
        }
    ]
    february = client.get("/api/analytics/report?month=2026-02").json()
    assert "排水许可减材料改革" not in str(february)  # not yet in force
