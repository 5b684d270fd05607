"""The window's intake decisions (窗口受理): accept, one-time correction notice, 容缺受理, refusal,
approval on commitment; and a material's file for whoever may see the case.

Every action is a POST that parses the form, calls ONE service and redirects with a Chinese success
message. A DomainError re-renders the same page with the message beside the form and what was typed
kept (422; 409 when another clerk was faster). A case the user may not see is a 404 like a missing
one; a page their roles do not open is a 403.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from onewindow.cases import selectors, sources
from onewindow.cases.domain import CaseStatus
from onewindow.cases.models import Case
from onewindow.cases.presentation import case_deemed_accepted_on, case_rows
from onewindow.cases.services import intake
from onewindow.cases.views.common import (
    Step,
    date_or_none,
    form_rows,
    materials_of,
    render,
    require_role,
    step_act,
)
from onewindow.catalogue.domain import COMMITMENT_LETTER, schema_to_fields
from onewindow.errors import InvalidFields, NotFound
from onewindow.orgs.domain import Role
from onewindow.orgs.selectors import display_id_number, display_phone
from onewindow.web.http import Page, domain_errors_as_http, request_user

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
    require_role(user, Role.CLERK)
    return selectors.case_get_for_user(user=user, case_id=case_id)


def _intake_page(case: Case) -> Page:
    def page(request: HttpRequest, extra: dict[str, Any], status: int) -> HttpResponse:
        source = sources.case_source(case)
        matters = selectors.case_matters(case)
        forms: dict[str, Any] = extra.get("forms", {})
        user = request_user(request)
        # Read before case_rows shows the case as the law stands (accepted once the limit has passed).
        can_decide, deemed_on = case.status == CaseStatus.SUBMITTED, case_deemed_accepted_on(case)
        context = {
            "case": case,
            "progress": case_rows([case])[0].progress,
            "matters": matters,
            "materials": materials_of(case),
            "form_rows": form_rows(case),
            "notices": list(case.correction_notices.order_by("-issued_at")),
            "correction_rows": _correction_rows(case, source, forms.get("correction", {})),
            "correction_missing": forms.get("correction", {}).get("errors", {}).get("items", ""),
            "defer_rows": _defer_rows(case, source, forms.get("deferral", {})),
            "commitment_allowed": all(m.matter_version.commitment_allowed for m in matters),
            "commitment_letter_filed": case.materials.filter(key=COMMITMENT_LETTER.key).exclude(file="").exists(),
            "credit_records": selectors.commitment.applicant_credit_warning(user=user, case=case),
            "can_decide": can_decide,
            "deemed_on": deemed_on,
            "applicant_id_number": display_id_number(user, case.applicant.id_number),
            "applicant_phone": display_phone(user, case.applicant.phone),
            **extra,
        }
        return render(request, "cases/console/intake.html", context, status)

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
        due_on = date_or_none(post.get(f"due_on:{key}", ""))
        if due_on is None:
            errors[f"material:{key}"] = _("请填写补交期限（日期，如 2026-10-31）")
        else:
            deferred[key] = due_on
    if errors:
        raise InvalidFields(_("容缺受理有 %(n)s 处问题") % {"n": len(errors)}, errors=errors, code="invalid_deferral")
    return deferred


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
    then = reverse("cases:detail", args=[case.pk])
    return step_act(request, action, INTAKE_STEPS, case, then, _intake_page(case))


urlpatterns: list[URLPattern] = [
    path("<int:case_id>/intake/", intake_page, name="intake"),
    path("<int:case_id>/intake/<slug:action>/", intake_action, name="intake_action"),
    path("<int:case_id>/materials/<int:material_id>/", material_download, name="material_download"),
]
