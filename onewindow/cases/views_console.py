"""Staff console actions: intake decisions, review decisions, the lead department's joint decision.

Every action is a POST that parses the form, calls ONE service and redirects with a Chinese success
message. A DomainError re-renders the same page with the message beside the form and what was typed
kept (422; 409 when another clerk or reviewer was faster). A case or task the user may not see is a
404 like a missing one; a page their roles do not open is a 403.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onewindow.cases import selectors, selectors_commitment, selectors_deferral, sources
from onewindow.cases.domain import OPEN_TASK_STATUSES, CaseStatus
from onewindow.cases.models import Case, CaseMatter, Channel, ClockStop, Task
from onewindow.cases.services import commitment, countersign, intake, review
from onewindow.cases.views import console_links
from onewindow.catalogue.domain import COMMITMENT_LETTER, FieldKind, FieldSpec, schema_to_fields
from onewindow.catalogue.models import BundleVersion, MatterVersion, VersionStatus
from onewindow.catalogue.selectors import published_bundles, published_matters
from onewindow.errors import Conflict, DomainError, InvalidFields, NotFound, PermissionDenied
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Applicant, User
from onewindow.orgs.selectors import display_id_number, display_phone, user_has_role
from onewindow.orgs.services import applicant_register
from onewindow.web.http import domain_errors_as_http, request_user

View = Callable[..., HttpResponseBase]
Step = Callable[[User, Any, QueryDict, Mapping[str, UploadedFile]], object]
Page = Callable[[HttpRequest, dict[str, Any], int], HttpResponse]


def _require_role(user: User, *roles: Role) -> None:
    if not user_has_role(user, *roles):
        raise PermissionDenied(_("您没有办理此类事务的角色"), code="console_role_required")


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    context = {"links": console_links(request_user(request)), **context}
    return TemplateResponse(request, template, context, status=status)


def _failure(request: HttpRequest, action: str, exc: DomainError) -> tuple[dict[str, Any], int]:
    """The failed form's context: its message, its per-field errors and what was typed."""
    message = exc.message
    if isinstance(exc, Conflict):
        message = _("操作未完成：%(message)s。可能已有其他工作人员办理，请查看最新状态。") % {"message": message}
    errors = dict(getattr(exc, "errors", {}) or ({exc.field: exc.message} if exc.field else {}))
    form = {"message": message, "errors": errors, "values": request.POST}
    return {"failed": action, "forms": {action: form}, "error": message}, 409 if isinstance(exc, Conflict) else 422


def _act(
    request: HttpRequest, action: str, call: Callable[[], Any], done: Callable[[Any], tuple[str, str]], page: Page
) -> HttpResponse:
    """Run one service call: success → message and redirect; a DomainError → the same page, input kept."""
    try:
        result = call()
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        context, status = _failure(request, action, exc)
        return page(request, context, status)
    message, then = done(result)
    messages.success(request, message)
    return redirect(then)


def _done(message: Any, then: str) -> Callable[[Any], tuple[str, str]]:
    return lambda _result: (str(message), then)


def _materials(case: Case) -> list[Any]:
    return list(case.materials.order_by("id"))


def _form_rows(case: Case) -> list[tuple[str, Any]]:
    """The case's form data with the field labels of its (unified) form, in the form's order."""
    specs = schema_to_fields(sources.case_source(case).form_schema)
    known = [(spec.label, case.form_data[spec.key]) for spec in specs if spec.key in case.form_data]
    return known + [(key, value) for key, value in case.form_data.items() if key not in {s.key for s in specs}]


# --- downloads ------------------------------------------------------------------------------------


@require_GET
@login_required
@domain_errors_as_http
def material_download(request: HttpRequest, case_id: int, material_id: int) -> FileResponse:
    """A material's file, for whoever may see the case (never a public media URL)."""
    case = selectors.case_get_for_user(user=request_user(request), case_id=case_id)
    material = case.materials.exclude(file="").filter(pk=material_id).first()
    if material is None:
        raise NotFound(_("未找到该材料"), code="material_not_found")
    name = PurePath(material.file.name).name
    return FileResponse(material.file.open("rb"), as_attachment=True, filename=name)


# --- intake (窗口受理) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetRow:
    """One line of the correction notice form: a material or a field, ticked or not, with its note."""

    target: str
    label: str
    kind: str
    checked: bool
    problem: str
    error: str


@dataclass(frozen=True)
class DeferRow:
    key: str
    name: str
    checked: bool
    due_on: str
    error: str


def _correction_rows(case: Case, source: sources.Source, form: Mapping[str, Any]) -> list[TargetRow]:
    values: QueryDict = form.get("values") or QueryDict()
    ticked = set(values.getlist("target"))
    errors = _item_errors(values.getlist("target"), form.get("errors") or {})
    targets = [(f"material:{m.key}", m.name, _("材料")) for m in source.materials]
    targets += [(f"field:{f.key}", f.label, _("表单")) for f in schema_to_fields(source.form_schema)]
    return [
        TargetRow(target, label, kind, target in ticked, values.get(f"problem:{target}", ""), errors.get(target, ""))
        for target, label, kind in targets
    ]


def _item_errors(targets: list[str], errors: Mapping[str, str]) -> dict[str, str]:
    """The service reports items.<n>.problem; the form shows it beside the n-th ticked target."""
    by_target: dict[str, str] = {}
    for index, target in enumerate(targets):
        for part in ("target", "problem"):
            if f"items.{index}.{part}" in errors:
                by_target[target] = errors[f"items.{index}.{part}"]
    return by_target


def _defer_rows(case: Case, source: sources.Source, form: Mapping[str, Any]) -> list[DeferRow]:
    values: QueryDict = form.get("values") or QueryDict()
    errors: Mapping[str, str] = form.get("errors") or {}
    given = set(case.materials.exclude(file="").values_list("key", flat=True))
    ticked = set(values.getlist("defer"))
    return [
        DeferRow(m.key, m.name, m.key in ticked, values.get(f"due_on:{m.key}", ""), errors.get(f"material:{m.key}", ""))
        for m in source.materials
        if m.deferrable and m.key not in given
    ]


def _intake_case(request: HttpRequest, case_id: int) -> Case:
    user = request_user(request)
    _require_role(user, Role.CLERK)
    return selectors.case_get_for_user(user=user, case_id=case_id)


def _intake_page(case: Case) -> Page:
    def page(request: HttpRequest, extra: dict[str, Any], status: int) -> HttpResponse:
        source = sources.case_source(case)
        matters = selectors.case_matters(case)
        forms: dict[str, Any] = extra.get("forms", {})
        user = request_user(request)
        # Read before case_rows shows the case as the law stands (accepted once the limit has passed).
        can_decide, deemed_on = case.status == CaseStatus.SUBMITTED, selectors.case_deemed_accepted_on(case)
        context = {
            "case": case,
            "progress": selectors.case_rows([case])[0].progress,
            "matters": matters,
            "materials": _materials(case),
            "form_rows": _form_rows(case),
            "notices": list(case.correction_notices.order_by("-issued_at")),
            "correction_rows": _correction_rows(case, source, forms.get("correction", {})),
            "correction_missing": forms.get("correction", {}).get("errors", {}).get("items", ""),
            "defer_rows": _defer_rows(case, source, forms.get("deferral", {})),
            "commitment_allowed": all(m.matter_version.commitment_allowed for m in matters),
            "commitment_letter_filed": case.materials.filter(key=COMMITMENT_LETTER.key).exclude(file="").exists(),
            "credit_records": selectors_commitment.applicant_credit_warning(user=user, case=case),
            "can_decide": can_decide,
            "deemed_on": deemed_on,
            "applicant_id_number": display_id_number(user, case.applicant.id_number),
            "applicant_phone": display_phone(user, case.applicant.phone),
            **extra,
        }
        return _render(request, "cases/console/intake.html", context, status)

    return page


@require_GET
@login_required
@domain_errors_as_http
def intake_page(request: HttpRequest, case_id: int) -> HttpResponse:
    return _intake_page(_intake_case(request, case_id))(request, {}, 200)


def _correction_items(post: QueryDict) -> list[dict[str, str]]:
    return [{"target": target, "problem": post.get(f"problem:{target}", "")} for target in post.getlist("target")]


def _deferred(post: QueryDict) -> dict[str, dt.date]:
    deferred: dict[str, dt.date] = {}
    errors: dict[str, str] = {}
    for key in post.getlist("defer"):
        due_on = _date(post.get(f"due_on:{key}", ""))
        if due_on is None:
            errors[f"material:{key}"] = _("请填写补交期限（日期，如 2026-10-31）")
        else:
            deferred[key] = due_on
    if errors:
        raise InvalidFields(_("容缺受理有 %(n)s 处问题") % {"n": len(errors)}, errors=errors, code="invalid_deferral")
    return deferred


def _date(text: str) -> dt.date | None:
    try:
        return parse_date(text.strip())
    except ValueError:
        return None


INTAKE_STEPS: dict[str, tuple[Step, Any]] = {
    "accept": (lambda u, c, p, f: intake.case_accept(actor=u, case=c), gettext_lazy("已受理，已推送各审查部门")),
    "correction": (
        lambda u, c, p, f: intake.case_request_correction(actor=u, case=c, items=_correction_items(p)),
        gettext_lazy("已发出一次性补正告知，等待申请人补正"),
    ),
    "deferral": (
        lambda u, c, p, f: intake.case_accept_with_deferral(actor=u, case=c, deferred=_deferred(p)),
        gettext_lazy("已容缺受理，已推送各审查部门"),
    ),
    "refusal": (
        lambda u, c, p, f: intake.case_refuse(
            actor=u, case=c, reason=p.get("reason", ""), legal_basis=p.get("legal_basis", "")
        ),
        gettext_lazy("已作出不予受理决定"),
    ),
    "commitment": (
        lambda u, c, p, f: intake.case_approve_on_commitment(
            actor=u, case=c, commitment_text=p.get("commitment_text", "")
        ),
        gettext_lazy("已按告知承诺制当场准予许可"),
    ),
}


@require_POST
@login_required
@domain_errors_as_http
def intake_action(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    if action not in INTAKE_STEPS:
        raise Http404
    case = _intake_case(request, case_id)
    step, success = INTAKE_STEPS[action]
    user = request_user(request)
    call = lambda: step(user, case, request.POST, request.FILES)  # noqa: E731
    return _act(request, action, call, _done(success, reverse("cases:detail", args=[case.pk])), _intake_page(case))


# --- window submission on behalf of an applicant ------------------------------------------------


@dataclass(frozen=True)
class FieldRow:
    spec: FieldSpec
    name: str
    value: str
    error: str

    @property
    def input_type(self) -> str:
        return {FieldKind.NUMBER: "number", FieldKind.DATE: "date"}.get(self.spec.kind, "text")


def _chosen(params: QueryDict) -> tuple[MatterVersion | None, BundleVersion | None]:
    published = {"status": VersionStatus.PUBLISHED}
    matter_id, bundle_id = params.get("matter", ""), params.get("bundle", "")
    matter = MatterVersion.objects.filter(pk=matter_id, **published).first() if matter_id.isdigit() else None
    bundle = BundleVersion.objects.filter(pk=bundle_id, **published).first() if bundle_id.isdigit() else None
    if (matter_id or bundle_id) and matter is None and bundle is None:
        raise NotFound(_("未找到该事项或一件事，或其已停止办理"), code="source_not_found")
    return matter, bundle


def _field_value(spec: FieldSpec, text: str) -> Any:
    """A typed value from the posted text; what cannot be read is passed on for the form check to report."""
    if spec.kind == FieldKind.BOOLEAN:
        return {"true": True, "false": False}.get(text, text)
    if spec.kind == FieldKind.NUMBER:
        for kind in (int, float):
            try:
                return kind(text)
            except ValueError:
                continue
    return text


def _form_data(source: sources.Source, post: QueryDict) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for spec in schema_to_fields(source.form_schema):
        text = post.get(f"field:{spec.key}", "").strip()
        if text:
            data[spec.key] = _field_value(spec, text)
    return data


def _applicant(actor: User, post: QueryDict) -> Applicant:
    kind = post.get("applicant_kind", "")
    errors: dict[str, str] = {}
    if kind not in Applicant.Kind.values:
        errors["applicant_kind"] = _("请选择申请人类型")
    if not post.get("applicant_name", "").strip():
        errors["applicant_name"] = _("请填写申请人名称或姓名")
    if errors:
        raise InvalidFields(_("请完整填写申请人信息"), errors=errors, code="applicant_incomplete")
    return applicant_register(
        kind=kind,
        name=post.get("applicant_name", "").strip(),
        id_number=post.get("id_number", ""),
        phone=post.get("phone", "").strip(),
        actor=actor,
    )


def _files(request: HttpRequest) -> dict[str, UploadedFile]:
    prefix = "material:"
    uploads = {key[len(prefix) :]: request.FILES.get(key) for key in request.FILES if key.startswith(prefix)}
    return {key: upload for key, upload in uploads.items() if upload is not None}


def _window_page(matter: MatterVersion | None, bundle: BundleVersion | None) -> Page:
    def page(request: HttpRequest, extra: dict[str, Any], status: int) -> HttpResponse:
        form = extra.get("forms", {}).get("window", {})
        values: QueryDict = form.get("values") or QueryDict()
        errors: Mapping[str, str] = form.get("errors") or {}
        context: dict[str, Any] = {
            "matters": published_matters().order_by("matter__code")[:500],
            "bundles": published_bundles(),
            "matter": matter,
            "bundle": bundle,
            "values": values,
            "errors": errors,
            "kinds": Applicant.Kind.choices,
            **extra,
        }
        if matter or bundle:
            source = sources.source_of(matter_version=matter, bundle_version=bundle)
            context["source"] = source
            context["field_rows"] = [
                FieldRow(spec, f"field:{spec.key}", values.get(f"field:{spec.key}", ""), errors.get(spec.key, ""))
                for spec in schema_to_fields(source.form_schema)
            ]
            context["material_rows"] = [(m, errors.get(f"material:{m.key}", "")) for m in source.materials]
        return _render(request, "cases/console/window_new.html", context, status)

    return page


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def window_new(request: HttpRequest) -> HttpResponse:
    """窗口代为申报: find or register the applicant by ID number / credit code, then submit at the window."""
    user = request_user(request)
    _require_role(user, Role.CLERK)
    matter, bundle = _chosen(request.POST if request.method == "POST" else request.GET)
    page = _window_page(matter, bundle)
    if request.method == "GET":
        return page(request, {}, 200)

    @transaction.atomic
    def submit() -> Case:  # the applicant is registered only together with a filed case
        applicant = _applicant(user, request.POST)
        source = sources.source_of(matter_version=matter, bundle_version=bundle)
        return intake.case_submit(
            actor=user,
            applicant=applicant,
            matter_version=matter,
            bundle_version=bundle,
            form_data=_form_data(source, request.POST),
            files=_files(request),
            channel=Channel.WINDOW,
            is_green_channel=request.POST.get("is_green_channel") == "on",
        )

    def done(case: Case) -> tuple[str, str]:
        message = _("已代申请人提交，办件编号 %(number)s") % {"number": case.number}
        return message, reverse("cases:intake", args=[case.pk])

    return _act(request, "window", submit, done, page)


# --- review (部门审查) ------------------------------------------------------------------------------


def _task(request: HttpRequest, task_id: int) -> Task:
    return selectors.task_get_for_reviewer(user=request_user(request), task_id=task_id)


def _task_page(task: Task) -> Page:
    def page(request: HttpRequest, extra: dict[str, Any], status: int) -> HttpResponse:
        user = request_user(request)
        context = {
            "task": task,
            "case": task.case,
            "row": selectors.task_rows([task])[0],
            "is_open": task.status in OPEN_TASK_STATUSES,
            "is_head": user_has_role(user, Role.DEPARTMENT_HEAD),
            "open_stop": next(iter(getattr(task, "open_stops", [])), None),
            "countersign": selectors_commitment.task_countersign(task),
            "rectification": selectors_commitment.task_rectification(task),
            "colleagues": [u for u in selectors.department_reviewers(task) if u.pk != task.assignee_id],
            "procedures": [(r.value, r.label) for r in ClockStop.Reason if r in review.SPECIAL_PROCEDURES],
            "materials": (materials := _materials(task.case)),
            "owed": selectors_deferral.owed_rows(task.case, materials),
            "form_rows": _form_rows(task.case),
            "timeline": selectors.timeline_rows(selectors.case_timeline(user=user, case=task.case).filter(task=task)),
            "forms": {},
            **extra,
        }
        return _render(request, "cases/console/task.html", context, status)

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
            expected_end_on=_date(p.get("expected_end_on", "")),
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
    step, success = TASK_STEPS[action]
    user = request_user(request)
    call = lambda: step(user, task, request.POST, request.FILES)  # noqa: E731
    return _act(request, action, call, _done(success, reverse("cases:task", args=[task.pk])), _task_page(task))


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
            "lead": review.lead_department(case),
            "is_head": user_has_role(request_user(request), Role.DEPARTMENT_HEAD),
            "forms": {},
            **extra,
        }
        return _render(request, "cases/console/decision.html", context, status)

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
    _require_role(user, Role.LEAD_COORDINATOR, Role.DEPARTMENT_HEAD)
    case = selectors.case_get_for_decision(user=user, case_id=case_id)
    page = _decision_page(case)
    if request.method == "GET":
        return page(request, {}, 200)
    call = lambda: review.case_decide(  # noqa: E731
        actor=user, case=case, results=_results(request.POST), note=request.POST.get("note", "")
    )
    done = _done(_("已作出联合决定，办件办结"), reverse("cases:detail", args=[case.pk]))
    return _act(request, "decision", call, done, page)


@require_POST
@login_required
@domain_errors_as_http
def case_extension(request: HttpRequest, case_id: int) -> HttpResponse:
    """The lead department's head extends the case's own limit once (Art. 42), from the decision page."""
    user = request_user(request)
    _require_role(user, Role.DEPARTMENT_HEAD)
    case = selectors.case_get_for_decision(user=user, case_id=case_id)
    call = lambda: review.case_extension_approve(actor=user, case=case, reason=request.POST.get("reason", ""))  # noqa: E731
    done = _done(_("办件办理期限已延长"), reverse("cases:decision", args=[case.pk]))
    return _act(request, "extension", call, done, _decision_page(case))


urlpatterns: list[URLPattern] = [
    path("window/new/", window_new, name="window_new"),
    path("<int:case_id>/intake/", intake_page, name="intake"),
    path("<int:case_id>/intake/<slug:action>/", intake_action, name="intake_action"),
    path("<int:case_id>/decision/", decision_page, name="decision"),
    path("<int:case_id>/extension/", case_extension, name="case_extension"),
    path("<int:case_id>/materials/<int:material_id>/", material_download, name="material_download"),
    path("tasks/<int:task_id>/", task_page, name="task"),
    path("tasks/<int:task_id>/<slug:action>/", task_action, name="task_action"),
]
