"""Public fee pages (no login, no personal data): the fee catalogue with the policies in force, and the estimate
of a stage's fees from the fee materials. The estimate is a GET form: it stores nothing.

Staff pages (the system admin's, who keeps the catalogue): every policy, ending one, adding a revised version."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from onewindow.errors import Conflict, DomainError, InvalidFields, NotFound, PermissionDenied
from onewindow.fees import domain, selectors, services
from onewindow.fees.models import FeeItem, FeePolicy, PayerClass, PolicyKind, ProjectCategory
from onewindow.fees.reports import selectors as reports
from onewindow.orgs.domain import Role
from onewindow.orgs.models import User
from onewindow.orgs.selectors import user_has_role
from onewindow.web.http import domain_errors_as_http, request_user

AMOUNT = {"required": False, "min_value": 0, "max_digits": 16, "decimal_places": 2}


class EstimateForm(forms.Form):
    stage = forms.TypedChoiceField(label=_("办理阶段"), coerce=int)
    on = forms.DateField(label=_("计费日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    floor_area = forms.DecimalField(label=_("总建筑面积（平方米）"), **AMOUNT)  # type: ignore[arg-type]
    air_defence_area_unbuilt = forms.DecimalField(label=_("应建未建防空地下室面积（平方米）"), **AMOUNT)  # type: ignore[arg-type]
    contract_value = forms.DecimalField(label=_("施工合同价款（元）"), **AMOUNT)  # type: ignore[arg-type]
    project_category = forms.ChoiceField(
        label=_("项目类别"), required=False, choices=[("", _("其他项目")), *ProjectCategory.choices]
    )
    small_micro = forms.BooleanField(label=PayerClass.SMALL_MICRO.label, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stages = [(s.pk, f"{s.bundle_version.name} · {s.name}") for s in selectors.stages_with_fees()]
        self.fields["stage"].choices = stages  # type: ignore[attr-defined]
        for field in self.fields.values():
            field.widget.attrs["class"] = _css_class(field.widget)
            if isinstance(field, forms.DecimalField):
                field.widget.attrs["inputmode"] = "decimal"


def _css_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-check-input" if isinstance(widget, forms.CheckboxInput) else "form-control"


def fee_catalogue(request: HttpRequest) -> HttpResponse:
    on = timezone.localdate()
    context = {"on": on, "items": selectors.catalogue_items(), "policies": selectors.catalogue_policies(on)}
    user = request_user(request)
    context["can_edit_policies"] = user_has_role(user, Role.SYSTEM_ADMIN)
    context["can_reconcile"] = _allowed(reports.reconciliation_scope, user)
    context["can_list_savings"] = _allowed(reports.savings_list_scope, user)
    return render(request, "fees/catalogue.html", context)


def _allowed(scope: Callable[[User], set[str]], user: User) -> bool:
    """Whether the user may open a report (its scope refuses those who may not)."""
    if not user.is_authenticated:
        return False
    try:
        scope(user)
    except PermissionDenied:
        return False
    return True


def fee_estimate(request: HttpRequest) -> HttpResponse:
    form = EstimateForm(request.GET or None)
    context: dict[str, Any] = {"form": form}
    if form.is_bound and form.is_valid():
        context |= _estimate(form)
    return render(request, "fees/estimate.html", context)


def _estimate(form: EstimateForm) -> dict[str, Any]:
    data = form.cleaned_data
    on = data["on"] or timezone.localdate()
    classes = frozenset({PayerClass.SMALL_MICRO.value} if data["small_micro"] else set())
    payer = domain.Payer(classes=classes, project_category=data["project_category"])
    try:
        target, result = selectors.fee_estimate_for(
            stage_id=data["stage"], matter_id=None, raw_inputs=data, payer=payer, on=on
        )
    except InvalidFields as error:
        for field, message in error.errors.items():
            form.add_error(field if field in form.fields else None, message)
        return {}
    except DomainError as error:
        form.add_error("stage", error.message)
        return {}
    return {"target": target, "result": result, "lines": selectors.estimate_lines(result), "on": on}


# The system admin's policy pages: every policy (in force, future, ended), end one, add a revised version.

REQUIRED = {"required": _("请填写此项。"), "invalid": _("请填写有效的值。")}
DATE = {"widget": forms.DateInput(attrs={"type": "date"}), "error_messages": REQUIRED}


class StaffForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = _css_class(field.widget)


class PolicyEndForm(StaffForm):
    valid_to = forms.DateField(label=_("失效日期"), **DATE)  # type: ignore[arg-type]
    reason = forms.CharField(label=_("原因"), max_length=500, error_messages=REQUIRED)


class PolicyReviseForm(StaffForm):
    from_date = forms.DateField(label=_("新版本生效日期"), **DATE)  # type: ignore[arg-type]
    kind = forms.ChoiceField(label=_("政策类型"), choices=PolicyKind.choices, error_messages=REQUIRED)
    title = forms.CharField(label=_("文件标题"), max_length=200, error_messages=REQUIRED)
    factor = forms.DecimalField(
        label=_("缴纳比例"), min_value=0, max_value=1, max_digits=5, decimal_places=4, error_messages=REQUIRED
    )
    at_lower_bound = forms.BooleanField(label=_("按下限计"), required=False)
    payer_class = forms.ChoiceField(
        label=_("缴费人类别"), required=False, choices=[("", _("不限")), *PayerClass.choices]
    )
    project_category = forms.ChoiceField(
        label=_("项目类别"), required=False, choices=[("", _("不限")), *ProjectCategory.choices]
    )
    items = forms.ModelMultipleChoiceField(
        label=_("适用收费项目"),
        queryset=FeeItem.objects.order_by("code"),
        error_messages={
            "required": _("请至少选择一个收费项目。"),
            "invalid_choice": _("请选择列出的收费项目。"),
            "invalid_pk_value": _("请选择列出的收费项目。"),
        },
    )
    valid_to = forms.DateField(label=_("新版本失效日期（可不填）"), required=False, **DATE)  # type: ignore[arg-type]
    reason = forms.CharField(label=_("原因"), max_length=500, error_messages=REQUIRED)


def _revise_initial(policy: FeePolicy) -> dict[str, Any]:
    fields = ("kind", "title", "factor", "at_lower_bound", "payer_class", "project_category")
    return {name: getattr(policy, name) for name in fields} | {"items": list(policy.items.all())}


def _require_system_admin(request: HttpRequest) -> User:
    user = request_user(request)
    if not user_has_role(user, Role.SYSTEM_ADMIN):
        raise PermissionDenied(gettext("只有系统管理员可以管理收费政策。"), code="fees_not_system_admin")
    return user


def _policies_page(request: HttpRequest, bound: dict[str, Any] | None = None, status: int = 200) -> HttpResponse:
    """Every policy with its two forms; `bound` is the refused form (its policy, kind and form) shown again."""
    on = timezone.localdate()
    rows = []
    for policy, state in selectors.fee_policy_rows(on):
        auto_id = f"p{policy.pk}-%s"
        end_form: forms.Form = PolicyEndForm(auto_id=f"end-{auto_id}")
        revise_form: forms.Form = PolicyReviseForm(auto_id=f"rev-{auto_id}", initial=_revise_initial(policy))
        is_bound = bound is not None and bound["policy"] == policy.pk
        if is_bound and bound:
            end_form = bound["form"] if bound["kind"] == "end" else end_form
            revise_form = bound["form"] if bound["kind"] == "revise" else revise_form
        rows.append(
            {
                "policy": policy,
                "status": state,
                "end_form": end_form,
                "revise_form": revise_form,
                "open": bound["kind"] if is_bound and bound else "",
            }
        )
    return render(request, "fees/policies.html", {"on": on, "rows": rows}, status=status)


def _policy_post(request: HttpRequest, policy_id: int, kind: str, call: Any) -> HttpResponse:
    form_class = PolicyEndForm if kind == "end" else PolicyReviseForm
    prefix = "end" if kind == "end" else "rev"
    form = form_class(request.POST, auto_id=f"{prefix}-p{policy_id}-%s")
    get_object_or_404(FeePolicy, pk=policy_id)
    if not form.is_valid():
        return _policies_page(request, {"policy": policy_id, "kind": kind, "form": form}, 422)
    try:
        call(form.cleaned_data)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        status = 409 if isinstance(error, Conflict) else 422
        return _policies_page(request, {"policy": policy_id, "kind": kind, "form": form}, status)
    messages.success(request, _("已失效该政策。") if kind == "end" else _("已新增该政策的修订版本。"))
    return redirect("fees:policies")


@login_required
@domain_errors_as_http
def fee_policies(request: HttpRequest) -> HttpResponse:
    _require_system_admin(request)
    return _policies_page(request)


@login_required
@domain_errors_as_http
@require_POST
def fee_policy_end(request: HttpRequest, policy_id: int) -> HttpResponse:
    user = _require_system_admin(request)

    def end(data: dict[str, Any]) -> FeePolicy:
        return services.fee_policy_end(
            actor=user, policy_id=policy_id, valid_to=data["valid_to"], reason=data["reason"]
        )

    return _policy_post(request, policy_id, "end", end)


@login_required
@domain_errors_as_http
@require_POST
def fee_policy_revise(request: HttpRequest, policy_id: int) -> HttpResponse:
    user = _require_system_admin(request)

    def revise(data: dict[str, Any]) -> FeePolicy:
        changes = {name: data[name] for name in ("kind", "title", "factor", "at_lower_bound", "payer_class")}
        changes |= {"project_category": data["project_category"], "valid_to": data["valid_to"]}
        return services.fee_policy_revise(
            actor=user,
            policy_id=policy_id,
            from_date=data["from_date"],
            reason=data["reason"],
            items=data["items"],
            **changes,
        )

    return _policy_post(request, policy_id, "revise", revise)
