"""Department review and the lead department's joint decision: the task page and its actions (领办,
分办, 转办, opinions, clock stops, extensions, 加签, the findings of a commitment's checks), the
decision page and the case's extension.

Every action is a POST that parses the form, calls ONE service and redirects with a Chinese success
message. A DomainError re-renders the same page with the message beside the form and what was typed
kept (422; 409 when another reviewer was faster). A task or case the user may not see is a 404 like a
missing one; a page their roles do not open is a 403.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onewindow.cases import selectors
from onewindow.cases.domain import OPEN_TASK_STATUSES
from onewindow.cases.models import Case, CaseMatter, ClockStop, Task
from onewindow.cases.presentation import task_rows, timeline_rows
from onewindow.cases.services import commitment, countersign, review
from onewindow.cases.views.common import (
    Step,
    act,
    date_or_none,
    form_rows,
    materials_of,
    render,
    require_role,
    step_act,
)
from onewindow.errors import InvalidFields
from onewindow.orgs.domain import Role
from onewindow.orgs.models import User
from onewindow.orgs.selectors import user_has_role
from onewindow.web.http import Page, domain_errors_as_http, done_with, request_user


def _task(request: HttpRequest, task_id: int) -> Task:
    return selectors.task_get_for_reviewer(user=request_user(request), task_id=task_id)


def _task_page(task: Task) -> Page:
    def page(request: HttpRequest, extra: dict[str, Any], status: int) -> HttpResponse:
        user = request_user(request)
        context = {
            "task": task,
            "case": task.case,
            "row": task_rows([task])[0],
            "is_open": task.status in OPEN_TASK_STATUSES,
            "is_head": user_has_role(user, Role.DEPARTMENT_HEAD),
            "open_stop": next(iter(getattr(task, "open_stops", [])), None),
            "countersign": selectors.commitment.task_countersign(task),
            "rectification": selectors.commitment.task_rectification(task),
            "colleagues": [u for u in selectors.department_reviewers(task) if u.pk != task.assignee_id],
            "procedures": [(r.value, r.label) for r in ClockStop.Reason if r in review.SPECIAL_PROCEDURES],
            "materials": (materials := materials_of(task.case)),
            "owed": selectors.deferral.owed_rows(task.case, materials),
            "form_rows": form_rows(task.case),
            "timeline": timeline_rows(selectors.case_timeline(user=user, case=task.case).filter(task=task)),
            "forms": {},
            **extra,
        }
        return render(request, "cases/console/task.html", context, status)

    return page


@require_GET
@login_required
@domain_errors_as_http
def task_page(request: HttpRequest, task_id: int) -> HttpResponse:
    return _task_page(_task(request, task_id))(request, {}, 200)


def _colleague(task: Task, post: QueryDict) -> User:
    chosen = post.get("to_user", "")
    user = selectors.department_reviewers(task).filter(pk=chosen).first() if chosen.isdigit() else None
    if user is None:
        message = _("请选择本部门的接办人")
        raise InvalidFields(message, errors={"to_user": message}, code="task_assignee_not_reviewer")
    return user


def _signer(task: Task, post: QueryDict) -> User:
    chosen = post.get("signer", "")
    user = selectors.department_reviewers(task).filter(pk=chosen).first() if chosen.isdigit() else None
    if user is None:
        message = _("请选择本部门的审核人员")
        raise InvalidFields(message, errors={"signer": message}, code="signer_not_reviewer")
    return user


def _days(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        message = _("请填写延期的工作日数")
        raise InvalidFields(message, errors={"days": message}, code="task_extension_days_invalid") from None


TASK_STEPS: dict[str, tuple[Step, Any]] = {
    "claim": (lambda u, t, p, f: review.task_claim(actor=u, task=t), gettext_lazy("已领办该任务")),
    "assign": (
        lambda u, t, p, f: review.task_assign(actor=u, task=t, assignee=_colleague(t, p)),
        gettext_lazy("已分办"),
    ),
    "approve": (
        lambda u, t, p, f: review.task_approve(actor=u, task=t, opinion=p.get("opinion", "")),
        gettext_lazy("已提交同意意见"),
    ),
    "reject": (
        lambda u, t, p, f: review.task_reject(actor=u, task=t, reason=p.get("reason", "")),
        gettext_lazy("已提交不同意意见"),
    ),
    "supplement": (
        lambda u, t, p, f: review.task_request_supplement(
            actor=u, task=t, items=p.get("items", "").splitlines(), note=p.get("note", "")
        ),
        gettext_lazy("已通知申请人补充材料，计时中止"),
    ),
    "procedure_start": (
        lambda u, t, p, f: review.task_start_special_procedure(
            actor=u,
            task=t,
            kind=p.get("kind", ""),
            reason=p.get("reason", ""),
            expected_end_on=date_or_none(p.get("expected_end_on", "")),
        ),
        gettext_lazy("已启动特别程序，计时中止"),
    ),
    "procedure_end": (
        lambda u, t, p, f: review.task_end_special_procedure(actor=u, task=t, note=p.get("note", "")),
        gettext_lazy("特别程序已结束，恢复计时"),
    ),
    "send_back": (
        lambda u, t, p, f: review.task_send_back(actor=u, task=t, reason=p.get("reason", "")),
        gettext_lazy("已驳回至受理环节"),
    ),
    "transfer": (
        lambda u, t, p, f: review.task_transfer(actor=u, task=t, to_user=_colleague(t, p), reason=p.get("reason", "")),
        gettext_lazy("已转办"),
    ),
    "extension_request": (
        lambda u, t, p, f: review.task_extension_request(
            actor=u, task=t, days=_days(p.get("days", "")), reason=p.get("reason", "")
        ),
        gettext_lazy("已提交延期申请，等待部门负责人审批"),
    ),
    "extension_approve": (
        lambda u, t, p, f: review.task_extension_approve(actor=u, task=t),
        gettext_lazy("已批准延期"),
    ),
    # 加签, and the findings of a commitment's checks
    "add_signer": (
        lambda u, t, p, f: countersign.task_add_signer(actor=u, task=t, signer=_signer(t, p)),
        gettext_lazy("已加签"),
    ),
    "check_conform": (
        lambda u, t, p, f: commitment.task_check_conform(actor=u, task=t, note=p.get("note", "")),
        gettext_lazy("已登记核查结果：符合"),
    ),
    "check_not_conform": (
        lambda u, t, p, f: commitment.task_check_not_conform(
            actor=u, task=t, finding=p.get("finding", ""), legal_basis=p.get("legal_basis", "")
        ),
        gettext_lazy("已登记核查结果：不符合"),
    ),
    "false_commitment": (
        lambda u, t, p, f: commitment.task_find_false_commitment(
            actor=u, task=t, finding=p.get("finding", ""), legal_basis=p.get("legal_basis", "")
        ),
        gettext_lazy("已认定虚假承诺，许可已撤销"),
    ),
}


@require_POST
@login_required
@domain_errors_as_http
def task_action(request: HttpRequest, task_id: int, action: str) -> HttpResponse:
    if action not in TASK_STEPS:
        raise Http404
    task = _task(request, task_id)
    return step_act(request, action, TASK_STEPS, task, reverse("cases:task", args=[task.pk]), _task_page(task))


# --- the joint decision (牵头决定) -----------------------------------------------------------------


@dataclass(frozen=True)
class DecisionRow:
    matter: CaseMatter
    task: Task | None
    chosen: str
    error: str


def _decision_rows(case: Case, form: Mapping[str, Any]) -> list[DecisionRow]:
    values: QueryDict = form.get("values") or QueryDict()
    errors: Mapping[str, str] = form.get("errors") or {}
    tasks = {
        t.case_matter_id: t
        for t in Task.objects.filter(case=case, kind=Task.Kind.REVIEW).select_related("assignee").order_by("pk")
    }
    matters = selectors.case_matters(case)
    return [
        DecisionRow(m, tasks.get(m.pk), values.get(f"result:{m.pk}", ""), errors.get(f"results.{m.pk}", ""))
        for m in matters
    ]


def _decision_page(case: Case) -> Page:
    def page(request: HttpRequest, extra: dict[str, Any], status: int) -> HttpResponse:
        form = extra.get("forms", {}).get("decision", {})
        context = {
            "case": case,
            "rows": _decision_rows(case, form),
            "results": [(r.value, r.label) for r in (CaseMatter.Result.APPROVED, CaseMatter.Result.REJECTED)],
            "lead": selectors.lead_department(case),
            "is_head": user_has_role(request_user(request), Role.DEPARTMENT_HEAD),
            "forms": {},
            **extra,
        }
        return render(request, "cases/console/decision.html", context, status)

    return page


def _results(post: QueryDict) -> dict[int, str]:
    prefix = "result:"
    chosen = {key[len(prefix) :]: post.get(key, "") for key in post if key.startswith(prefix)}
    return {int(pk): value for pk, value in chosen.items() if pk.isdigit() and value}


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def decision_page(request: HttpRequest, case_id: int) -> HttpResponse:
    user = request_user(request)
    require_role(user, Role.LEAD_COORDINATOR, Role.DEPARTMENT_HEAD)
    case = selectors.case_get_for_decision(user=user, case_id=case_id)
    page = _decision_page(case)
    if request.method == "GET":
        return page(request, {}, 200)
    call = lambda: review.case_decide(  # noqa: E731
        actor=user, case=case, results=_results(request.POST), note=request.POST.get("note", "")
    )
    done = done_with(_("已作出联合决定，办件办结"), reverse("cases:detail", args=[case.pk]))
    return act(request, "decision", call, done, page)


@require_POST
@login_required
@domain_errors_as_http
def case_extension(request: HttpRequest, case_id: int) -> HttpResponse:
    """The lead department's head extends the case's own limit once (Art. 42), from the decision page."""
    user = request_user(request)
    require_role(user, Role.DEPARTMENT_HEAD)
    case = selectors.case_get_for_decision(user=user, case_id=case_id)
    call = lambda: review.case_extension_approve(actor=user, case=case, reason=request.POST.get("reason", ""))  # noqa: E731
    done = done_with(_("办件办理期限已延长"), reverse("cases:decision", args=[case.pk]))
    return act(request, "extension", call, done, _decision_page(case))


urlpatterns: list[URLPattern] = [
    path("<int:case_id>/decision/", decision_page, name="decision"),
    path("<int:case_id>/extension/", case_extension, name="case_extension"),
    path("tasks/<int:task_id>/", task_page, name="task"),
    path("tasks/<int:task_id>/<slug:action>/", task_action, name="task_action"),
]
