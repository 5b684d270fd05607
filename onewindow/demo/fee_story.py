"""一单收费 in the demo: a year of industrial projects paying their fees with one bill, and today's two.

Everything goes through the services at the days it happened (`onewindow.clock.told_at`): a clerk files
the industrial-project bundle at a window of the city, 清河区 or 梅岭县 (`data/fee_history.py`), the
departments approve each stage, the 工程建设许可 and 施工许可 stages open their bills, each collecting
department seals its lines, the window takes the payment, the receipts are issued, the 施工许可 stage goes
on once paid, and the project is decided (its 施工许可证 sealed that day). The policies in force on each
day decide the lines, so the savings page (`/fees/savings/`) has a year of months.

Today (the Weihai scenario, 一门受理、在线分发、网上审核、电子签章、一单收取、网上回执):
- wujiacheng's 云川嘉诚新材料 applied online ten working days ago; its 施工许可 stage opened two days later,
  the five departments checked and sealed the seven fees (人社局 corrected one line, with its reason), and the
  enterprise paid the one bill yesterday: its receipts are under 我的缴费. Two of the stage's four reviews
  are still open.
- linxiaowen's 云川晓雯科技 reached the same stage three working days ago: 住建局 and 人社局 have sealed,
  发改委, 人防办 and 工信局 still have to (their 收费核定 work lists), on the bill's five-day clock.
Loaded once: a second run finds the history's first bill and does nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from onewindow import clock
from onewindow.cases.models import Case, CaseMatter, Task
from onewindow.cases.services import intake, review
from onewindow.catalogue.models import BundleVersion, VersionStatus
from onewindow.certificates.domain import CertificateStatus
from onewindow.certificates.models import Certificate
from onewindow.certificates.services import certificate_seal
from onewindow.demo.cases import INDUSTRIAL_BUNDLE, form_values, pdf, required_material_keys, reviewer_of
from onewindow.demo.data.fee_history import PROJECTS, FeeProject
from onewindow.demo.identifiers import credit_code, resident_id
from onewindow.fees.models import Bill, BillStatus, FeeCheckStatus
from onewindow.fees.payments.simulated import callback_sign
from onewindow.fees.services import fee_check_seal, fee_line_correct, payment_callback, payment_start
from onewindow.orgs.models import Applicant, User
from onewindow.workdays.domain import WorkCalendar, add_working_days, is_working_day
from onewindow.workdays.selectors import work_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
LEGAL_REPRESENTATIVE_STEM = "33010619800101001"  # the history enterprises' representatives: one plausible ID
CHARGING_STAGES = (2, 3)  # 工程建设许可 (the service fees) and 施工许可 (Weihai's seven)
WEIHAI_CORRECTION = "施工合同价款含设备购置费600万元，按规定不计入农民工工资保障金计征基数，核减。"


def fee_story_load(*, today: dt.date) -> int:
    """Load the year of bills and today's two; the number of bills created (0 when loaded before)."""
    bundle = BundleVersion.objects.filter(bundle__code=INDUSTRIAL_BUNDLE, status=VersionStatus.PUBLISHED).first()
    first = Applicant.objects.filter(id_number=credit_code(PROJECTS[0].credit_stem)).first()
    if bundle is None or (first is not None and Bill.objects.filter(payer=first).exists()):
        return 0
    before = Bill.objects.count()
    calendar = work_calendar()
    for project in PROJECTS:
        _history(project, bundle, today, calendar)
    _paid_this_week(bundle, today, calendar)
    _checking_today(bundle, today, calendar)
    return Bill.objects.count() - before


# --- the year ---------------------------------------------------------------------------------------


def _history(project: FeeProject, bundle: BundleVersion, today: dt.date, calendar: WorkCalendar) -> None:
    clerk = _user(project.window)
    day = _working_on_or_after(_months_back(today, project.months_ago, project.day), calendar)
    with clock.told_at(_at(day, 9, 30)):
        case = intake.case_submit_at_window(
            actor=clerk,
            applicant=intake.WindowApplicant(
                kind="enterprise", name=project.enterprise, id_number=credit_code(project.credit_stem)
            ),
            bundle_version=bundle,
            form_data=_form(bundle, project),
            files={key: pdf(key) for key in required_material_keys(bundle)},
        )
        intake.case_accept(actor=clerk, case=case)
    for stage in range(1, 5):
        day = _next(day, 2, calendar)
        if stage in CHARGING_STAGES:
            bill = Bill.objects.get(case=case, stage_position=stage)
            _seal(bill, day)
            day = _next(day, 1, calendar)
            _pay(bill, day, clerk)  # at the window, on its POS terminal
        _approve_stage(case, stage, day)
    _decide(case, _next(day, 1, calendar))


def _form(bundle: BundleVersion, project: FeeProject) -> dict[str, Any]:
    known = {
        "project_name": f"{project.enterprise.removeprefix('云川').removeprefix('梅岭')[:12]}{project.project}",
        "building_area": project.building_area,
        "contract_amount": project.contract_wan,
        "air_defence_area_unbuilt": project.air_defence_unbuilt,
        "enterprise_scale": project.scale,
        "industry": project.industry,
    }
    return form_values(
        bundle.unified_form_schema,
        credit_code=credit_code(project.credit_stem),
        person_id=resident_id(LEGAL_REPRESENTATIVE_STEM),
        known=known,
    )


def _decide(case: Case, day: dt.date) -> None:
    with clock.told_at(_at(day, 16)):
        results = {matter.pk: CaseMatter.Result.APPROVED.value for matter in case.matters.all()}
        review.case_decide(actor=_user("lead_zj"), case=case, results=results, note="各部门审查同意，准予许可。")
        for certificate in Certificate.objects.filter(case=case, status=CertificateStatus.PENDING):
            certificate_seal(certificate_id=certificate.pk)


# --- today ------------------------------------------------------------------------------------------


def _paid_this_week(bundle: BundleVersion, today: dt.date, calendar: WorkCalendar) -> None:
    """Weihai's scenario, paid yesterday: one bill for seven fees of five departments, the receipts."""
    user = _user("wujiacheng")
    day = _working_on_or_after(_back(today, 10, calendar), calendar)
    case = _online_case(user, bundle, day)
    for stage in (1, 2):
        day = _next(day, 1, calendar)
        if stage == 2:
            bill = Bill.objects.get(case=case, stage_position=2)
            _seal(bill, day)
            _pay(bill, day, user)
        _approve_stage(case, stage, day)
    bill = Bill.objects.get(case=case, stage_position=3)
    day = _next(day, 1, calendar)
    _correct_wage_guarantee(bill, day)
    _seal(bill, _next(day, 1, calendar))
    _pay(bill, _back(today, 1, calendar), user)
    with clock.told_at(_at(_back(today, 1, calendar), 15)):
        for task in _open_tasks(case, 3)[:2]:
            review.task_approve(actor=reviewer_of(task.department_id), task=task, opinion="符合要求，同意。")


def _checking_today(bundle: BundleVersion, today: dt.date, calendar: WorkCalendar) -> None:
    """A bill three working days into its five-day clock: two departments sealed, three to go."""
    user = _user("linxiaowen")
    day = _back(today, 9, calendar)
    case = _online_case(user, bundle, day)
    for stage in (1, 2):
        day = _next(day, 1, calendar)
        if stage == 2:
            bill = Bill.objects.get(case=case, stage_position=2)
            _seal(bill, day)
            _pay(bill, day, user)
        _approve_stage(case, stage, _back(today, 3, calendar) if stage == 2 else day)
    bill = Bill.objects.get(case=case, stage_position=3)
    _seal(bill, _back(today, 1, calendar), only=("9901-ZJ", "9901-RS"))


def _online_case(user: User, bundle: BundleVersion, day: dt.date) -> Case:
    applicant = Applicant.objects.get(kind=Applicant.Kind.ENTERPRISE, user=user)
    person = Applicant.objects.get(kind=Applicant.Kind.PERSON, user=user)
    with clock.told_at(_at(day, 10)):
        case = intake.case_submit(
            actor=user,
            applicant=applicant,
            bundle_version=bundle,
            form_data=form_values(
                bundle.unified_form_schema, credit_code=applicant.id_number, person_id=person.id_number
            ),
            files={key: pdf(key) for key in required_material_keys(bundle)},
            channel="online",
        )
        return intake.case_accept(actor=_user("clerk"), case=case)


def _correct_wage_guarantee(bill: Bill, day: dt.date) -> None:
    """人社局 takes the equipment out of the contract value its 农民工工资保障金 is computed on."""
    line = bill.lines.get(item_code="SF-NMG")
    corrected = (line.due_amount * Decimal(30) / Decimal(36)).quantize(Decimal("0.01"))
    with clock.told_at(_at(day, 10, 30)):
        fee_line_correct(
            actor=reviewer_of(line.fee_check.department_id),
            line_id=line.pk,
            due_amount=corrected,
            reason=WEIHAI_CORRECTION,
        )


# --- steps ------------------------------------------------------------------------------------------


def _approve_stage(case: Case, stage: int, day: dt.date) -> None:
    with clock.told_at(_at(day, 15)):
        for task in _open_tasks(case, stage):
            review.task_approve(actor=reviewer_of(task.department_id), task=task, opinion="符合要求，同意。")


def _open_tasks(case: Case, stage: int) -> list[Task]:
    return list(case.tasks.filter(kind=Task.Kind.REVIEW, stage=stage, status="open").order_by("pk"))


def _seal(bill: Bill, day: dt.date, *, only: tuple[str, ...] = ()) -> None:
    with clock.told_at(_at(day, 11)):
        for check in bill.checks.filter(status=FeeCheckStatus.OPEN).select_related("department"):
            if not only or check.department.code in only:
                fee_check_seal(actor=reviewer_of(check.department_id), check_id=check.pk)


def _pay(bill: Bill, day: dt.date, actor: User) -> None:
    bill.refresh_from_db()
    if bill.status != BillStatus.ISSUED:
        return
    at = _at(day, 14)
    with clock.told_at(at):
        payment = payment_start(actor=actor, bill_id=bill.pk).payment
        signed = callback_sign(order_number=payment.order_number, amount=payment.amount, at=at)
        payment_callback(provider="simulated", body=signed.body, headers=signed.headers)


# --- days -------------------------------------------------------------------------------------------


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def _months_back(today: dt.date, months: int, day: int) -> dt.date:
    month_index = today.year * 12 + today.month - 1 - months
    return dt.date(month_index // 12, month_index % 12 + 1, min(day, 28))


def _working_on_or_after(day: dt.date, calendar: WorkCalendar) -> dt.date:
    while not is_working_day(day, calendar):
        day += dt.timedelta(days=1)
    return day


def _next(day: dt.date, working_days: int, calendar: WorkCalendar) -> dt.date:
    return add_working_days(day, working_days, calendar).on


def _back(today: dt.date, working_days: int, calendar: WorkCalendar) -> dt.date:
    day = today
    for _ in range(working_days):
        day -= dt.timedelta(days=1)
        while not is_working_day(day, calendar):
            day -= dt.timedelta(days=1)
    return day
