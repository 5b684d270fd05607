"""窗口代为申报: a clerk finds or registers the applicant by ID number / credit code and submits the
case at the window, for one published matter or bundle. A refused submission re-renders the form
with every problem beside its field and what was typed kept."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from onewindow.cases import sources
from onewindow.cases.models import Case
from onewindow.cases.prefill import window_prefill_values
from onewindow.cases.services import intake
from onewindow.cases.views.common import act, render, require_role
from onewindow.catalogue.domain import FieldKind, FieldSpec, schema_to_fields
from onewindow.catalogue.models import BundleVersion, MatterVersion, VersionStatus
from onewindow.catalogue.selectors import published_bundles, published_matters
from onewindow.errors import InvalidFields, NotFound
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Applicant
from onewindow.web.http import Page, domain_errors_as_http, request_user


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


def _applicant(post: QueryDict) -> intake.WindowApplicant:
    kind = post.get("applicant_kind", "")
    errors: dict[str, str] = {}
    if kind not in Applicant.Kind.values:
        errors["applicant_kind"] = _("请选择申请人类型")
    if not post.get("applicant_name", "").strip():
        errors["applicant_name"] = _("请填写申请人名称或姓名")
    if errors:
        raise InvalidFields(_("请完整填写申请人信息"), errors=errors, code="applicant_incomplete")
    return intake.WindowApplicant(
        kind=kind,
        name=post.get("applicant_name", "").strip(),
        id_number=post.get("id_number", ""),
        phone=post.get("phone", "").strip(),
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
        return render(request, "cases/console/window_new.html", context, status)

    return page


@require_http_methods(["GET", "POST"])
@login_required
@domain_errors_as_http
def window_new(request: HttpRequest) -> HttpResponse:
    """窗口代为申报: find or register the applicant by ID number / credit code, then submit at the window."""
    user = request_user(request)
    require_role(user, Role.CLERK)
    matter, bundle = _chosen(request.POST if request.method == "POST" else request.GET)
    page = _window_page(matter, bundle)
    if request.method == "GET":
        # ?prefill=<token>: the applicant of a queue ticket being served (onewindow/cases/prefill.py).
        prefill = request.GET.get("prefill", "")
        values = window_prefill_values(prefill) if prefill else QueryDict()
        return page(request, {"forms": {"window": {"values": values}}, "prefill": prefill}, 200)

    def submit() -> Case:
        applicant = _applicant(request.POST)
        source = sources.source_of(matter_version=matter, bundle_version=bundle)
        return intake.case_submit_at_window(
            actor=user,
            applicant=applicant,
            matter_version=matter,
            bundle_version=bundle,
            form_data=_form_data(source, request.POST),
            files=_files(request),
            is_green_channel=request.POST.get("is_green_channel") == "on",
        )

    def done(case: Case) -> tuple[str, str]:
        message = _("已代申请人提交，办件编号 %(number)s") % {"number": case.number}
        return message, reverse("cases:intake", args=[case.pk])

    return act(request, "window", submit, done, page)


urlpatterns: list[URLPattern] = [path("window/new/", window_new, name="window_new")]
