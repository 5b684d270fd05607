"""Applicant portal actions (网上申报): apply, drafts, receipt, correction resubmission, supplementary
material, withdraw.

Thin: each view parses the request, calls one intake or review service (or a selector), and renders.
Only the user linked to an applicant (Applicant.user) acts here; any other case is a 404 like a
missing one. A refused request re-renders its form with the values typed and the Chinese message
next to each field or material; success redirects (plain POST + redirect, no JavaScript needed).

One exception to "one service per request": when a submission is refused, the files that passed
their checks are kept in a draft (`intake.case_keep_valid_files`), so nothing uploaded is lost; the
form then continues as that draft.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from onewindow.cases import forms_portal, selectors, sources
from onewindow.cases.domain import OPEN_CASE_STATUSES, CaseStatus
from onewindow.cases.models import Case, Channel, ClockStop
from onewindow.cases.services import intake, review
from onewindow.cases.services.intake import reuse
from onewindow.cases.views.common import render
from onewindow.catalogue import selectors as catalogue_selectors
from onewindow.catalogue.domain import schema_to_fields
from onewindow.catalogue.models import BundleVersion, MatterVersion, OnlineLevel
from onewindow.errors import DomainError, InvalidFields, NotFound, PermissionDenied
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Applicant
from onewindow.orgs.selectors import user_has_role
from onewindow.web.http import domain_errors_as_http, request_user

View = Callable[..., HttpResponse]
GET_POST = ["GET", "POST"]


def _errors_as_http(view: View) -> View:
    """NotFound → 404 (also for another applicant's case), PermissionDenied → 403, other refusals → 400."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (NotFound, PermissionDenied):
            raise  # domain_errors_as_http answers 404 / 403
        except DomainError as exc:  # e.g. a published bundle without matters: a message, never a 500
            return render(request, "cases/portal/problem.html", {"message": exc.message}, status=400)

    return domain_errors_as_http(wrapped)


def _detail(case: Case) -> HttpResponse:
    return redirect("cases:detail", case_id=case.pk)


def _own_case(request: HttpRequest, case_id: int) -> Case:
    return selectors.case_get_for_applicant_user(user=request_user(request), case_id=case_id)


# --- apply and drafts -----------------------------------------------------------------------------


@dataclass
class ApplyPage:
    """What the apply page is about: a published matter or bundle, or a draft of one."""

    matter_version: MatterVersion | None = None
    bundle_version: BundleVersion | None = None
    draft: Case | None = None
    applicants: list[Applicant] = field(default_factory=list)

    @cached_property
    def source(self) -> sources.Source:
        # A draft saved from this page has the same versions, so the cached source stays right.
        if self.draft is not None:
            return sources.case_source(self.draft)
        return sources.source_of(matter_version=self.matter_version, bundle_version=self.bundle_version)

    def applicant(self, raw: str | None) -> Applicant | None:
        """The chosen applicant: the draft's, or one the user acts for (another's id is a 404)."""
        if self.draft is not None:
            return self.draft.applicant
        if not raw:
            return self.applicants[0] if len(self.applicants) == 1 else None
        chosen = next((a for a in self.applicants if str(a.pk) == raw), None)
        if chosen is None:
            raise NotFound(_("未找到该申请人"), code="applicant_not_found")
        return chosen


@dataclass
class Outcome:
    """A refused request: what to show again."""

    values: Mapping[str, Any]
    errors: dict[str, str]
    message: str
    chosen: Applicant | None
    note: str = ""


def _apply_page(request: HttpRequest, app: ApplyPage, outcome: Outcome | None = None) -> HttpResponse:
    source = app.source
    fields = schema_to_fields(source.form_schema)
    stored = list(app.draft.materials.all()) if app.draft is not None else []
    if outcome is None:
        values = app.draft.form_data if app.draft is not None else {}
        outcome = Outcome(values, {}, "", app.applicant(request.GET.get("applicant")))
    form_fields = forms_portal.form_fields(fields, outcome.values, outcome.errors)
    offers = reuse.wallet_offers(outcome.chosen, source.materials)
    materials = forms_portal.material_inputs(source.materials, stored, outcome.errors, offers)
    context = {
        "app": app,
        "source": source,
        "fields": form_fields,
        "materials": materials,
        "chosen": outcome.chosen,
        "message": outcome.message,
        "note": outcome.note,
        "other_errors": forms_portal.other_errors(
            outcome.errors, [*forms_portal.placed_keys(form_fields, materials), "applicant"]
        ),
        "applicant_error": outcome.errors.get("applicant", ""),
        "action_url": reverse("cases:portal_draft", args=[app.draft.pk]) if app.draft else request.get_full_path(),
    }
    return render(request, "cases/portal/apply.html", context)


def _service_arguments(request: HttpRequest, app: ApplyPage, applicant: Applicant) -> dict[str, Any]:
    source = app.source
    previous = app.draft.form_data if app.draft is not None else None
    return {
        "actor": request_user(request),
        "applicant": applicant,
        "matter_version": app.matter_version,
        "bundle_version": app.bundle_version,
        "form_data": forms_portal.form_values(schema_to_fields(source.form_schema), request.POST, previous),
        "files": forms_portal.material_files(source.materials, request.FILES),
        "channel": Channel.ONLINE,
        "draft": app.draft,
    }


def _refused(app: ApplyPage, arguments: dict[str, Any], exc: DomainError, submitting: bool) -> Outcome:
    errors = dict(exc.errors) if isinstance(exc, InvalidFields) else {}
    outcome = Outcome(arguments["form_data"], errors, exc.message, arguments["applicant"])
    if not (submitting and isinstance(exc, InvalidFields)):
        return outcome
    draft = intake.case_keep_valid_files(refused=exc, **arguments)
    if draft is not None:  # the form continues as that draft
        app.draft, app.matter_version, app.bundle_version = draft, None, None
        outcome.note = _("已上传的文件已暂存到草稿，修改后再提交即可，无需重新上传。")
    return outcome


def _post_application(request: HttpRequest, app: ApplyPage) -> HttpResponse:
    applicant = app.applicant(request.POST.get("applicant"))
    if applicant is None:
        message = _("请选择以哪个申请人的身份申请")
        values = forms_portal.form_values(schema_to_fields(app.source.form_schema), request.POST)
        return _apply_page(request, app, Outcome(values, {"applicant": message}, message, None))
    arguments = _service_arguments(request, app, applicant)
    submitting = request.POST.get("action") != "draft"
    try:
        case = intake.case_submit(**arguments) if submitting else intake.case_save_draft(**arguments)
    except DomainError as exc:
        return _apply_page(request, app, _refused(app, arguments, exc, submitting))
    if submitting:
        return redirect("cases:portal_receipt", case_id=case.pk)
    messages.success(request, _("草稿已保存。"))
    return redirect("cases:portal_draft", case_id=case.pk)


def _apply(request: HttpRequest, app: ApplyPage) -> HttpResponse:
    app.applicants = list(selectors.applicants_for_user(request_user(request)))
    if not app.applicants:
        return render(request, "cases/portal/no_applicant.html", {})
    if request.method == "POST":
        return _post_application(request, app)
    return _apply_page(request, app)


@require_http_methods(GET_POST)
@login_required
@_errors_as_http
def apply_matter(request: HttpRequest, code: str) -> HttpResponse:
    """我要办理: the unified form of the matter's published version (not for a window-only matter)."""
    version = catalogue_selectors.matter_get_published(code)
    if version.online_level == OnlineLevel.WINDOW:
        message = _("该事项须到政务服务窗口办理，暂不支持网上申报。")
        return render(request, "cases/portal/problem.html", {"message": message})
    return _apply(request, ApplyPage(matter_version=version))


@require_http_methods(GET_POST)
@login_required
@_errors_as_http
def apply_bundle(request: HttpRequest, code: str) -> HttpResponse:
    """我要办理 (一件事): one form and one list of materials for every matter of the bundle."""
    # Not bundle_get_published: its prefetched stages clash with the prefetches of the intake service.
    version = catalogue_selectors.published_bundles().filter(bundle__code=code).first()
    if version is None:
        raise catalogue_selectors.BundleNotFound()
    return _apply(request, ApplyPage(bundle_version=version))


@require_http_methods(GET_POST)
@login_required
@_errors_as_http
def draft_edit(request: HttpRequest, case_id: int) -> HttpResponse:
    """A draft in the apply form, with its values and files; save again or submit."""
    case = _own_case(request, case_id)
    if case.status != CaseStatus.DRAFT:
        return _detail(case)
    return _apply(request, ApplyPage(draft=case))


@require_http_methods(["GET"])
@login_required
@_errors_as_http
def receipt(request: HttpRequest, case_id: int) -> HttpResponse:
    """回执: the case number, the matters, the materials received and the intake deadline."""
    case = _own_case(request, case_id)
    if case.status == CaseStatus.DRAFT:
        return redirect("cases:portal_draft", case_id=case.pk)
    context = {
        "case": case,
        "matters": selectors.case_matters(case),
        "materials": list(case.materials.exclude(file="").order_by("id")),
    }
    return render(request, "cases/portal/receipt.html", context)


# --- correction (一次性告知补正) --------------------------------------------------------------------


def _correction_page(
    request: HttpRequest, case: Case, values: Mapping[str, Any], errors: Mapping[str, str], message: str = ""
) -> HttpResponse:
    notice = selectors.case_open_correction_notice(case) if case.status == CaseStatus.CORRECTION else None
    targets = {item["target"] for item in notice.items} if notice is not None else set()
    source = sources.case_source(case)
    specs = [spec for spec in schema_to_fields(source.form_schema) if f"field:{spec.key}" in targets]
    wanted = [m for m in source.materials if f"material:{m.key}" in targets]
    fields = forms_portal.form_fields(specs, values, errors)
    materials = forms_portal.material_inputs(wanted, case.materials.all(), errors)
    context = {
        "case": case,
        "notice": notice,
        "fields": fields,
        "materials": materials,
        "message": message,
        "other_errors": forms_portal.other_errors(errors, forms_portal.placed_keys(fields, materials)),
    }
    return render(request, "cases/portal/correct.html", context)


@require_http_methods(GET_POST)
@login_required
@_errors_as_http
def correct(request: HttpRequest, case_id: int) -> HttpResponse:
    """The one-time correction notice, every item, and the resubmission form (corrected fields + files)."""
    case = _own_case(request, case_id)
    if request.method != "POST":
        return _correction_page(request, case, case.form_data, {})
    source = sources.case_source(case)
    values = forms_portal.form_values(schema_to_fields(source.form_schema), request.POST, case.form_data)
    values = {key: value for key, value in values.items() if forms_portal.field_name(key) in request.POST}
    files = forms_portal.material_files(source.materials, request.FILES)
    try:
        intake.case_resubmit(actor=request_user(request), case=case, form_data=values, files=files)
    except DomainError as exc:
        errors = dict(exc.errors) if isinstance(exc, InvalidFields) else {}
        return _correction_page(request, case, {**case.form_data, **values}, errors, exc.message)
    messages.success(request, _("补正材料已提交，等待窗口受理。"))
    return _detail(case)


# --- supplementary material (补充材料) --------------------------------------------------------------


def _supplement_page(
    request: HttpRequest, case: Case, requests: list[ClockStop], failed: tuple[int, str, dict[str, str]] | None = None
) -> HttpResponse:
    task_id, message, errors = failed or (0, "", {})
    context = {
        "case": case,
        "requests": requests,
        "at_window": request.resolver_match is not None and request.resolver_match.url_name == "window_supplement",
        "failed_task_id": task_id,
        "message": message,
        "errors": list(errors.values()),
        "note": request.POST.get("note", "") if failed else "",
    }
    return render(request, "cases/portal/supplement.html", context)


def _supplement(request: HttpRequest, case: Case) -> HttpResponse:
    requests = selectors.case_open_supplement_requests(case)
    if request.method != "POST":
        return _supplement_page(request, case, requests)
    stop = next((s for s in requests if str(s.task_id) == request.POST.get("task")), None)
    if stop is None or stop.task is None:
        message = _("该补充材料要求已处理或不存在，请刷新后查看")
        return _supplement_page(request, case, requests, (0, message, {}))
    try:
        review.task_supplement_received(
            actor=request_user(request),
            task=stop.task,
            note=request.POST.get("note", ""),
            files=request.FILES.getlist("files"),
        )
    except DomainError as exc:
        errors = dict(exc.errors) if isinstance(exc, InvalidFields) else {}
        return _supplement_page(request, case, requests, (stop.task.pk, exc.message, errors))
    messages.success(request, _("补充材料已提交，审查恢复计时。"))
    return _detail(case)


@require_http_methods(GET_POST)
@login_required
@_errors_as_http
def supplement(request: HttpRequest, case_id: int) -> HttpResponse:
    """Upload the supplementary material a department asked for: its clock runs again."""
    return _supplement(request, _own_case(request, case_id))


@require_http_methods(GET_POST)
@login_required
@_errors_as_http
def window_supplement(request: HttpRequest, case_id: int) -> HttpResponse:
    """A clerk registers supplementary material the applicant handed in at the window (paper or scans)."""
    user = request_user(request)
    if not user_has_role(user, Role.CLERK):
        raise PermissionDenied(_("只有窗口人员可以登记窗口收取的补充材料"), code="console_role_required")
    return _supplement(request, selectors.case_get_for_user(user=user, case_id=case_id))


# --- withdraw (撤回) -------------------------------------------------------------------------------


@require_http_methods(GET_POST)
@login_required
@_errors_as_http
def withdraw(request: HttpRequest, case_id: int) -> HttpResponse:
    """撤回: a reason and a confirmation; possible until the decision."""
    case = _own_case(request, case_id)
    context: dict[str, Any] = {"case": case, "may_withdraw": case.status in OPEN_CASE_STATUSES, "reason": ""}
    if request.method == "POST":
        context["reason"] = request.POST.get("reason", "")
        try:
            intake.case_withdraw(actor=request_user(request), case=case, reason=context["reason"])
        except DomainError as exc:
            context["error"] = exc.errors.get("reason", "") if isinstance(exc, InvalidFields) else ""
            context["message"] = exc.message
            return render(request, "cases/portal/withdraw.html", context)
        messages.success(request, _("申请已撤回。"))
        return _detail(case)
    return render(request, "cases/portal/withdraw.html", context)


urlpatterns: list[URLPattern] = [
    path("apply/matter/<str:code>/", apply_matter, name="portal_apply_matter"),
    path("apply/bundle/<str:code>/", apply_bundle, name="portal_apply_bundle"),
    path("drafts/<int:case_id>/", draft_edit, name="portal_draft"),
    path("<int:case_id>/receipt/", receipt, name="portal_receipt"),
    path("<int:case_id>/correct/", correct, name="portal_correct"),
    path("<int:case_id>/supplement/", supplement, name="portal_supplement"),
    path("<int:case_id>/window-supplement/", window_supplement, name="window_supplement"),
    path("<int:case_id>/withdraw/", withdraw, name="portal_withdraw"),
]
