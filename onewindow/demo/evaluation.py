"""The demo's 好差评: the completed demo case rated by its applicant, and the city hall's windows rated on
the 评价器 over the seven months up to today (so the public page has months of figures), with bad ratings
in every follow-up state: 待核实 (today), 整改中 (verified), 已答复 (chenzihang may settle it), 申请人满意,
逾期督办 (never verified, escalated by the periodic job) and one disputed (申诉待审核).

Through the real services (every step audited); the history is told at its own times
(`evaluation.services.told_at`), relative to today. Loaded once: a run that finds the demo clerk's window
services leaves everything alone.
"""

from __future__ import annotations

import datetime as dt
from itertools import cycle
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from onewindow.cases.domain import CaseStatus
from onewindow.cases.models import Case
from onewindow.evaluation import services
from onewindow.evaluation.domain import Channel
from onewindow.evaluation.models import FollowUp, Rating, WindowService
from onewindow.evaluation.services import Given, told_at
from onewindow.orgs.domain import Role
from onewindow.orgs.models import User, Window

SHANGHAI = ZoneInfo("Asia/Shanghai")
CLERK, SUPERVISOR = "clerk", "supervisor"
MONTHS, PER_MONTH = 7, 14
# Mostly good, a 基本满意 now and then, a bad one about once a month.
LEVELS = (5, 5, 4, 5, 3, 5, 4, 5, 5, 4, 2, 5, 4, 5, 5, 5, 4, 1, 5, 4, 3)
EVIDENCE = b"%PDF-1.4\n% onewindow demo: the hall's queue log of that day\n"


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)


def _weekday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=max(0, day.weekday() - 4))


def _reviewer(window: Window) -> User:
    return User.objects.filter(
        memberships__organisation=window.department, memberships__role=Role.REVIEWER
    ).first() or (User.objects.get(memberships__organisation=window.department, memberships__role=Role.DEPARTMENT_HEAD))


def _rate(window: Window, on: dt.datetime, given: Given, case: Case | None = None) -> Rating:
    with told_at(on):
        service = services.window_service_start(actor=User.objects.get(username=CLERK), window=window, case=case)
        return services.window_rate(token=services.kiosk_token(service.pk), given=given)


def _given(level: int, n: int) -> Given:
    tags = {3: ("long_wait",), 2: ("unclear_materials",), 1: ("repeated_visits", "attitude")}.get(level, ())
    comments = {2: "材料清单没说清楚，补了两次。", 1: "跑了三趟，窗口态度也不好。"}
    return Given(level=level, tags=tags, comment=comments.get(level, ""), may_contact=n % 2 == 0)


def _verify(rating: Rating, window: Window, on: dt.datetime) -> FollowUp:
    with told_at(on):
        return services.follow_up_verify(
            actor=_reviewer(window), follow_up=rating.follow_up, verification="经调阅叫号记录和窗口录像，情况属实。"
        )


def _answer(rating: Rating, window: Window, on: dt.datetime) -> FollowUp:
    with told_at(on):
        return services.follow_up_answer(
            actor=_reviewer(window),
            follow_up=rating.follow_up,
            rectification="窗口已更新一次性告知单，并对窗口人员进行了服务规范培训。",
            answer="感谢您的监督。我们已核实并整改，材料清单已在网上和窗口同步更新。",
        )


def _history(windows: list[Window], cases: list[Case], today: dt.date) -> None:
    """Seven months of window ratings; the bad ones of past weeks verified, answered and settled."""
    levels, owners = cycle(LEVELS), cycle(cases)
    answered = 0
    for back in range(MONTHS - 1, -1, -1):
        month = (today.replace(day=1) - dt.timedelta(days=back * 30)).replace(day=1)
        for n in range(PER_MONTH):
            day = _weekday(month + dt.timedelta(days=(n * 2) % 27))
            if day >= today - dt.timedelta(days=14):
                continue  # the last two weeks are the explicit stories below
            window, level = windows[n % len(windows)], next(levels)
            case = next(owners) if level <= 2 and cases else None
            rating = _rate(window, _at(day, 9 + n % 7), _given(level, n), case)
            if level <= 2:
                _verify(rating, window, _at(day + dt.timedelta(days=1)))
                _answer(rating, window, _at(day + dt.timedelta(days=5)))
                answered += 1
                if case is not None and case.applicant.user is not None:  # one in four still not satisfied
                    services.follow_up_settle(actor=case.applicant.user, rating=rating, settled=answered % 4 != 0)


def _stories(windows: list[Window], today: dt.date) -> None:
    """One bad rating in each open follow-up state."""
    first, second = windows[0], windows[1 % len(windows)]
    _rate(first, _at(_weekday(today), 9), _given(1, 0))  # 待核实
    verified = _rate(second, _at(_weekday(today - dt.timedelta(days=3))), _given(2, 1))
    _verify(verified, second, _at(_weekday(today - dt.timedelta(days=2))))  # 整改中
    chen = Case.objects.filter(applicant__user__username="chenzihang").order_by("pk").first()
    answered = _rate(first, _at(_weekday(today - dt.timedelta(days=12))), _given(1, 2), chen)
    _verify(answered, first, _at(_weekday(today - dt.timedelta(days=11))))
    _answer(answered, first, _at(_weekday(today - dt.timedelta(days=6))))  # 已答复: chenzihang may settle
    _rate(second, _at(_weekday(today - dt.timedelta(days=30))), _given(2, 3))  # never verified: 逾期督办
    services.follow_ups_escalate_overdue(today=today)
    disputed = _rate(first, _at(_weekday(today - dt.timedelta(days=8))), _given(1, 5))
    with told_at(_at(_weekday(today - dt.timedelta(days=7)))):
        services.dispute_request(
            actor=_reviewer(first),
            rating=disputed,
            reason="wrong_service",
            explanation="叫号记录显示该申请人当天办理的是其他部门窗口的业务。",
            evidence=SimpleUploadedFile("叫号记录.pdf", EVIDENCE, content_type="application/pdf"),
        )


def _completed_case() -> None:
    case = Case.objects.filter(status=CaseStatus.COMPLETED, applicant__user__username="wujiacheng").first()
    if case is None or case.applicant.user is None or Rating.objects.filter(case=case).exists():
        return
    departments = case.tasks.values_list("department", flat=True).distinct()
    services.case_rate(
        case=case,
        rater=case.applicant.user,
        channel=Channel.PORTAL,
        given=Given(level=5, comment="一次办好，不用来回跑。"),
        by_department={pk: Given(level=5 if i % 2 == 0 else 4) for i, pk in enumerate(departments)},
    )


@transaction.atomic
def evaluation_load(*, today: dt.date) -> int:
    """The demo's ratings (how many were created: 0 on a second run)."""
    if WindowService.objects.filter(clerk__username=CLERK).exists() or not User.objects.filter(username=CLERK).exists():
        return 0
    before = Rating.objects.count()
    _completed_case()
    windows = list(
        Window.objects.filter(hall__region__code="9901", department__isnull=False)
        .filter(department__memberships__role__in=[Role.REVIEWER, Role.DEPARTMENT_HEAD])
        .distinct()
        .order_by("number")[:6]
    )
    if windows:
        cases = list(Case.objects.filter(applicant__user__username__in=["wujiacheng", "linxiaowen"]).order_by("pk"))
        _history(windows, cases, today)
        _stories(windows, today)
    return Rating.objects.count() - before
