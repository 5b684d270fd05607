"""A small world of cases for the analysis figures, built through the real services (cases' factories):

Home district (its leader reads the figures), March 2026 (Mon 2 March = day 0, every step at 10:00 Shanghai
unless said otherwise):
- `quick`: one matter, online, submitted day 0, accepted day 1, approved day 4 (4 days, on time);
- `corrected`: the same matter at the window, submitted day 0 at 15:00, a correction notice naming 总平面图
  on day 0, resubmitted day 1, accepted day 2, the reviewer asks a supplement on day 3 (Thursday), it
  arrives day 7 (Monday: Thu–Sun stopped, 4 days), approved day 8 (8 days, 4 of them waiting);
- `bundle`: the four-department bundle, online, submitted and accepted day 0; stage 1's first two
  departments approve on day 1, the third on day 3 (it ended the stage, 2 days after the others); stage 2
  approved on day 4, the joint decision on day 5;
- `open_case`: the same matter, submitted on day 9 and not yet accepted.
Another district: one case submitted and decided in the same days (`theirs`), never counted for home.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from onewindow.cases.models import Case, CaseMatter, Task
from onewindow.cases.selectors import lead_department
from onewindow.cases.services import review
from onewindow.cases.services.intake import case_accept, case_request_correction, case_resubmit
from onewindow.cases.tests.factories import (
    clerk_for,
    coordinator_for,
    department,
    form_values,
    published_bundle,
    published_matter,
    region,
    reviewer_for,
    submitted_case,
)
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.tests.factories import staff

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY = dt.date(2026, 3, 2)
QUERY = "from=2026-03-01&to=2026-03-31"


def at(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(MONDAY + dt.timedelta(days=day), dt.time(hour), tzinfo=SHANGHAI)


@dataclass
class World:
    home: Organisation
    other: Organisation
    department: Organisation
    leader: User
    other_leader: User
    quick: Case
    corrected: Case
    bundle: Case
    open_case: Case
    theirs: Case
    matter_name: str


def _approve(case: Case, time_machine, day: int, *, stage: int = 1) -> None:
    time_machine.move_to(at(day), tick=False)
    for task in Task.objects.filter(case=case, stage=stage, status="open").order_by("pk"):
        review.task_approve(actor=reviewer_for(task.department), task=task)


def _decided_single(matter, time_machine, *, channel: str = "online") -> Case:
    time_machine.move_to(at(0), tick=False)
    case = submitted_case(matter_version=matter, channel=channel)
    time_machine.move_to(at(1), tick=False)
    case_accept(actor=clerk_for(case.region), case=case)
    _approve(case, time_machine, 4)
    return case


def build(time_machine) -> World:
    home = region()
    dept = department(home)
    matter = published_matter(department=dept, name="建设工程规划许可")
    quick = _decided_single(matter, time_machine)

    time_machine.move_to(at(0, 15), tick=False)
    corrected = submitted_case(matter_version=matter, channel="window")
    clerk = clerk_for(corrected.region)
    items = [{"target": "material:site_plan", "problem": "比例尺不清"}]
    case_request_correction(actor=clerk, case=corrected, items=items)
    time_machine.move_to(at(1), tick=False)
    case_resubmit(actor=clerk, case=corrected, form_data=form_values(), files={})
    time_machine.move_to(at(2), tick=False)
    case_accept(actor=clerk, case=corrected)
    time_machine.move_to(at(3), tick=False)
    task = Task.objects.get(case=corrected)
    reviewer = reviewer_for(task.department)
    review.task_request_supplement(actor=reviewer, task=task, items=["产权证明"])
    time_machine.move_to(at(7), tick=False)
    review.task_supplement_received(actor=clerk, task=Task.objects.get(pk=task.pk))
    time_machine.move_to(at(8), tick=False)
    review.task_approve(actor=reviewer, task=Task.objects.get(pk=task.pk))

    time_machine.move_to(at(0), tick=False)
    bundle = submitted_case(bundle_version=published_bundle(in_region=home))
    case_accept(actor=clerk_for(bundle.region), case=bundle)
    tasks = list(Task.objects.filter(case=bundle, stage=1).order_by("pk"))
    time_machine.move_to(at(1), tick=False)
    for task in tasks[:2]:
        review.task_approve(actor=reviewer_for(task.department), task=task)
    time_machine.move_to(at(3), tick=False)
    review.task_approve(actor=reviewer_for(tasks[2].department), task=tasks[2])
    _approve(bundle, time_machine, 4, stage=2)
    time_machine.move_to(at(5), tick=False)
    bundle.refresh_from_db()
    lead = lead_department(bundle)
    assert lead is not None
    results = {m.pk: "approved" for m in CaseMatter.objects.filter(case=bundle)}
    review.case_decide(actor=coordinator_for(lead), case=bundle, results=results)

    time_machine.move_to(at(9), tick=False)
    open_case = submitted_case(matter_version=matter)

    other = region()
    theirs = _decided_single(published_matter(department=department(other)), time_machine, channel="window")
    time_machine.move_to(at(20), tick=False)
    return World(
        home=home,
        other=other,
        department=dept,
        leader=staff(Role.LEADER, home),
        other_leader=staff(Role.LEADER, other),
        quick=quick,
        corrected=corrected,
        bundle=bundle,
        open_case=open_case,
        theirs=theirs,
        matter_name="建设工程规划许可",
    )
