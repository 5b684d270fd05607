"""The catalogue in the admin (system admin only). Every save goes through the services.

Drafts are edited on the version page (materials inline, the form as JSON validated field by
field); published and retired versions show read-only. The actions 发布 / 废止 /
基于此版本新建草稿 call the services; a refused action shows its Chinese message.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onewindow import xlsx
from onewindow.audit.admin_trail import AuditTrailAdminMixin
from onewindow.catalogue import domain, excel, services
from onewindow.catalogue.domain import CatalogueRuleError, MaterialSpec
from onewindow.catalogue.models import (
    Bundle,
    BundleVersion,
    Material,
    Matter,
    MatterVersion,
    StageMatter,
    VersionStatus,
)
from onewindow.errors import DomainError
from onewindow.orgs.admin_access import RoleAdmin
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Organisation, User
from onewindow.orgs.selectors import user_has_role


def _is_system_admin(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(user.is_active and user_has_role(user, Role.SYSTEM_ADMIN))


def _actor(request: HttpRequest) -> User:
    user: Any = request.user
    return user  # type: ignore[no-any-return]


def _is_draft(obj: object) -> bool:
    return obj is None or getattr(obj, "status", None) == VersionStatus.DRAFT


class DomainErrorsAsMessages:
    """Changes refused by a service show as a message on the same page instead of a 500."""

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc,no-any-return]
        except DomainError as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(request.get_full_path())


def _run_each(request: HttpRequest, queryset: QuerySet[Any], action: Callable[[Any], object], done: str) -> None:
    """Apply a service to each selected row; report successes and refusals separately."""
    succeeded = 0
    for obj in queryset:
        try:
            action(obj)
            succeeded += 1
        except DomainError as error:
            messages.error(request, gettext("%(object)s:%(message)s") % {"object": obj, "message": error.message})
    if succeeded:
        messages.success(request, gettext("%(done)s %(count)s 项") % {"done": done, "count": succeeded})


# ---------------------------------------------------------------------------------------------
# Matter versions


class MatterVersionForm(forms.ModelForm):  # type: ignore[type-arg]
    code = forms.CharField(label=_("事项编码"), max_length=40, required=False, help_text=_("新建事项时填写"))
    department = forms.ModelChoiceField(
        label=_("实施部门"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT),
        required=False,
        help_text=_("新建事项时填写"),
    )
    form_schema = forms.JSONField(
        label=_("表单字段"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 100, "style": "font-family: monospace"}),
        help_text=_(
            'JSON:{"type":"object","properties":{"project_name":{"type":"string","title":"项目名称"}},'
            '"required":["project_name"],"x-order":["project_name"]}。类型:string(可加 pattern、minLength、'
            "maxLength)、number(minimum、maximum)、string+format:date、string+enum(选择)、boolean。"
        ),
    )

    class Meta:
        model = MatterVersion
        fields = list(domain.MATTER_CONTENT_FIELDS)

    def clean_code(self) -> str:
        code: str = self.cleaned_data.get("code", "").strip()
        if code and Matter.objects.filter(code=code).exists():
            raise forms.ValidationError(_("事项编码已存在"))
        return code

    def validate_unique(self) -> None:
        """The model's constraints are checked by the services, with Chinese messages (see clean)."""

    def clean_form_schema(self) -> dict[str, Any]:
        schema = self.cleaned_data.get("form_schema") or {}
        if not isinstance(schema, dict):
            raise forms.ValidationError(_("表单字段应为 JSON 对象"))
        try:
            domain.check_schema(schema)
        except CatalogueRuleError as error:
            raise forms.ValidationError(error.message) from error
        return schema

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        limits = [cleaned.get(n) for n in ("statutory_limit_days", "promised_limit_days", "max_visits")]
        if all(isinstance(limit, int) for limit in limits):
            statutory, promised, visits = (int(limit or 0) for limit in limits)
            problems = domain.limits_problems(statutory_days=statutory, promised_days=promised, max_visits=visits)
            for name, message in problems.items():
                self.add_error(name, message)
        rules = {name: cleaned.get(name) for name in ("required_signoffs", "rectification_days")}
        if all(isinstance(rule, int) for rule in rules.values()):
            for name, message in domain.review_rule_problems(**{k: int(v or 0) for k, v in rules.items()}).items():
                self.add_error(name, message)
        if self.instance.pk is None and not (cleaned.get("code") and cleaned.get("department")):
            raise forms.ValidationError(_("新建事项请填写事项编码和实施部门"))
        return cleaned

    def content(self) -> domain.MatterContent:
        data = self.cleaned_data
        return domain.MatterContent(
            **{name: data[name] for name in domain.MATTER_CONTENT_FIELDS if name != "form_schema"},
            form_schema=data.get("form_schema") or {},
        )


class RoleInlineMixin:
    """Inlines follow their page: system admin only, and editable only on a draft."""

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _is_system_admin(request)

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _is_system_admin(request) and _is_draft(obj)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _is_system_admin(request) and _is_draft(obj)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _is_system_admin(request) and _is_draft(obj)


class MaterialInline(RoleInlineMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = Material
    extra = 0
    fields = ["position", "key", "name", "required", "form", "deferrable", "certificate_type", "copies"]


VERSION_STATE_FIELDS = ["matter", "number", "status", "valid_from", "valid_to"]


def _nothing_saved_by(formsets: Sequence[BaseInlineFormSet[Any, Any, Any]]) -> None:
    """The service saved the inline rows; the admin's change message reads these lists."""
    for formset in formsets:
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


def _materials_from(formsets: Sequence[BaseInlineFormSet[Any, Any, Any]]) -> list[MaterialSpec] | None:
    for formset in formsets:
        if formset.model is not Material:
            continue
        rows = [
            f.cleaned_data
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("key")
        ]
        rows.sort(key=lambda row: row.get("position") or 0)
        return [
            MaterialSpec(
                key=row["key"],
                name=row["name"],
                required=row["required"],
                form=row["form"],
                deferrable=row["deferrable"],
                certificate_type=row.get("certificate_type") or "",
                copies=1 if row.get("copies") is None else row["copies"],
            )
            for row in rows
        ]
    return None


@admin.register(MatterVersion)
class MatterVersionAdmin(AuditTrailAdminMixin, DomainErrorsAsMessages, RoleAdmin):
    form = MatterVersionForm
    inlines = [MaterialInline]
    list_display = ["name", "matter", "number", "status", "valid_from", "valid_to", "department_name"]
    list_filter = ["status", "category", "online_level"]
    search_fields = ["name", "matter__code"]
    list_select_related = ["matter__department"]
    actions = ["publish", "retire", "draft_from"]

    @admin.display(description=_("实施部门"))
    def department_name(self, obj: MatterVersion) -> str:
        return obj.matter.department.name

    @admin.display(description=_("表单字段一览"))
    def form_fields_table(self, obj: MatterVersion) -> str:
        try:
            fields = domain.schema_to_fields(obj.form_schema)
        except CatalogueRuleError as error:
            return error.message
        if not fields:
            return "—"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (f.key, f.label, domain.FIELD_KIND_LABELS[f.kind], gettext("是") if f.required else gettext("否"))
                for f in fields
            ),
        )
        return format_html(
            "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>{}</table>",
            gettext("字段编码"),
            gettext("字段名称"),
            gettext("类型"),
            gettext("必填"),
            rows,
        )

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        """Published and retired versions open read-only."""
        return super().has_change_permission(request, obj) and _is_draft(obj)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        content = list(MatterVersionForm.Meta.fields)
        if obj is None:
            return ["code", "department", *content]
        return [*VERSION_STATE_FIELDS, *content, "form_fields_table"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if obj is None else [*VERSION_STATE_FIELDS, "form_fields_table"]

    def save_model(self, request: HttpRequest, obj: MatterVersion, form: ModelForm[Any], change: bool) -> None:
        """Nothing here: save_related writes the version and its materials in one service call."""

    def save_related(self, request: HttpRequest, form: ModelForm[Any], formsets: Any, change: bool) -> None:
        assert isinstance(form, MatterVersionForm)
        materials = _materials_from(formsets)
        if change:
            version = services.matter_version_update(
                actor=_actor(request), version=form.instance, content=form.content(), materials=materials
            )
        else:
            version = services.matter_create(
                actor=_actor(request),
                code=form.cleaned_data["code"],
                department=form.cleaned_data["department"],
                content=form.content(),
                materials=materials or (),
            )
        form.instance.pk = version.pk
        form.instance.matter = version.matter
        _nothing_saved_by(formsets)

    @admin.action(description=_("发布"))
    def publish(self, request: HttpRequest, queryset: QuerySet[MatterVersion]) -> None:
        _run_each(
            request,
            queryset,
            lambda v: services.matter_version_publish(actor=_actor(request), version=v),
            gettext("已发布"),
        )

    @admin.action(description=_("废止"))
    def retire(self, request: HttpRequest, queryset: QuerySet[MatterVersion]) -> None:
        def retire_one(version: MatterVersion) -> None:
            if version.status != VersionStatus.PUBLISHED:
                raise DomainError(gettext("只能废止已发布的版本"), code="version_not_published")
            services.matter_retire(actor=_actor(request), matter=version.matter)

        _run_each(request, queryset, retire_one, gettext("已废止"))

    @admin.action(description=_("基于此版本新建草稿"))
    def draft_from(self, request: HttpRequest, queryset: QuerySet[MatterVersion]) -> None:
        _run_each(
            request,
            queryset,
            lambda v: services.matter_version_draft_from(actor=_actor(request), version=v),
            gettext("已新建草稿"),
        )


class MatterVersionInline(RoleInlineMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = MatterVersion
    extra = 0
    fields = ["number", "name", "status", "valid_from", "valid_to"]
    readonly_fields = ["number", "name", "status", "valid_from", "valid_to"]
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Matter)
class MatterAdmin(RoleAdmin):
    """Matters and their versions; the Excel import and export live on this list."""

    list_display = ["code", "current_name", "department", "published_number"]
    search_fields = ["code", "versions__name"]
    list_select_related = ["department"]
    inlines = [MatterVersionInline]
    readonly_fields = ["code", "department", "created_at"]
    change_list_template = "admin/catalogue/matter/change_list.html"

    @admin.display(description=_("事项名称"))
    def current_name(self, obj: Matter) -> str:
        latest = obj.versions.order_by("-number").first()
        return latest.name if latest else ""

    @admin.display(description=_("现行版本"))
    def published_number(self, obj: Matter) -> str:
        current = obj.versions.filter(status=VersionStatus.PUBLISHED).first()
        return gettext("第%(number)s版") % {"number": current.number} if current else "—"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a matter is added with its first version (事项版本 → 新增)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        urls = [
            path("import/", self.admin_site.admin_view(self.import_view), name="catalogue_import"),
            path("export/", self.admin_site.admin_view(self.export_view), name="catalogue_export"),
        ]
        return urls + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not _is_system_admin(request):
            return HttpResponse(status=403)
        form = ImportForm(request.POST or None, request.FILES or None)
        report: excel.ImportReport | None = None
        if request.method == "POST" and form.is_valid():
            report = excel.catalogue_import(
                actor=_actor(request), sheets=form.cleaned_data["sheets"], publish=form.cleaned_data["publish"]
            )
            if report.ok:
                messages.success(
                    request,
                    gettext("导入完成：新增 %(created)s 项，更新 %(updated)s 项，未变 %(unchanged)s 项")
                    % {"created": report.created, "updated": report.updated, "unchanged": report.unchanged},
                )
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("导入 Excel"),
            "form": form,
            "report": report,
        }
        context["opts"] = self.model._meta
        return TemplateResponse(request, "admin/catalogue/import.html", context)

    def export_view(self, request: HttpRequest) -> HttpResponse:
        if not _is_system_admin(request):
            return HttpResponse(status=403)
        response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = (
            "attachment; filename=\"catalogue.xlsx\"; filename*=UTF-8''%E4%BA%8B%E9%A1%B9%E7%9B%AE%E5%BD%95.xlsx"
        )
        excel.catalogue_export().save(response)
        return response


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件(.xlsx)"))
    publish = forms.BooleanField(label=_("导入后直接发布"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        try:
            cleaned["sheets"] = xlsx.read_sheets(
                upload,
                excel.COLUMNS,
                max_bytes=settings.EXCEL_IMPORT_MAX_BYTES,
                max_rows=settings.CATALOGUE_IMPORT_MAX_ROWS,
            )
        except DomainError as error:
            raise forms.ValidationError(error.message, code=error.code) from error
        return cleaned


# ---------------------------------------------------------------------------------------------
# Bundles


class BundleVersionForm(forms.ModelForm):  # type: ignore[type-arg]
    code = forms.CharField(label=_("主题编码"), max_length=40, required=False, help_text=_("新建主题时填写"))
    stages_text = forms.CharField(
        label=_("阶段与事项"),
        widget=forms.Textarea(attrs={"rows": 8, "cols": 100}),
        help_text=_("每行一个阶段，按顺序：阶段名称 | 牵头部门编码 | 事项编码、事项编码"),
    )

    class Meta:
        model = BundleVersion
        fields = ["name", "description"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["stages_text"].initial = _stages_to_text(services.stages_of(self.instance))

    def clean_stages_text(self) -> list[services.StageSpec]:
        try:
            return _stages_from_text(self.cleaned_data["stages_text"])
        except DomainError as error:
            raise forms.ValidationError(error.message) from error

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if self.instance.pk is None and not cleaned.get("code"):
            self.add_error("code", _("新建主题请填写主题编码"))
        return cleaned


def _stages_to_text(stages: Sequence[services.StageSpec]) -> str:
    return "\n".join(f"{s.name} | {s.lead_department.code} | {'、'.join(m.code for m in s.matters)}" for s in stages)


def _stages_from_text(text: str) -> list[services.StageSpec]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    departments = {o.code: o for o in Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT)}
    matters = {m.code: m for m in Matter.objects.all()}
    stages = []
    for number, line in enumerate(lines, start=1):
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3:
            raise DomainError(
                gettext("第%(number)s行应为“阶段名称 | 牵头部门编码 | 事项编码”") % {"number": number},
                code="bundle_stage_line",
            )
        name, lead_code, codes = parts
        if lead_code not in departments:
            raise DomainError(
                gettext("第%(number)s行：部门编码“%(code)s”不存在") % {"number": number, "code": lead_code},
                code="bundle_stage_line",
            )
        matter_codes = [c.strip() for c in codes.replace(",", "、").replace(",", "、").split("、") if c.strip()]
        unknown = [c for c in matter_codes if c not in matters]
        if unknown:
            raise DomainError(
                gettext("第%(number)s行：事项“%(codes)s”不存在") % {"number": number, "codes": "、".join(unknown)},
                code="bundle_stage_line",
            )
        stages.append(
            services.StageSpec(
                name=name, lead_department=departments[lead_code], matters=tuple(matters[c] for c in matter_codes)
            )
        )
    return stages


@admin.register(BundleVersion)
class BundleVersionAdmin(AuditTrailAdminMixin, DomainErrorsAsMessages, RoleAdmin):
    form = BundleVersionForm
    list_display = ["name", "bundle", "number", "status", "valid_from", "valid_to"]
    list_filter = ["status"]
    search_fields = ["name", "bundle__code"]
    actions = ["publish", "retire", "draft_from"]

    @admin.display(description=_("阶段（发布时锁定的事项版本）"))
    def stages_table(self, obj: BundleVersion) -> str:
        stage_matters = StageMatter.objects.filter(stage__bundle_version=obj).select_related(
            "stage__lead_department", "matter", "matter_version"
        )
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    sm.stage.position,
                    sm.stage.name,
                    sm.stage.lead_department.name,
                    str(sm.matter_version) if sm.matter_version else sm.matter.code,
                )
                for sm in stage_matters.order_by("stage__position", "pk")
            ),
        )
        return format_html(
            "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>{}</table>",
            gettext("序号"),
            gettext("阶段"),
            gettext("牵头部门"),
            gettext("事项"),
            rows,
        )

    @admin.display(description=_("统一表单"))
    def unified_form(self, obj: BundleVersion) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.unified_form_schema, ensure_ascii=False, indent=2))

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return super().has_change_permission(request, obj) and _is_draft(obj)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        if obj is None:
            return ["code", "name", "description", "stages_text"]
        if self.has_change_permission(request, obj):
            return ["bundle", "number", "status", "name", "description", "stages_text", "stages_table"]
        return [
            "bundle",
            "number",
            "status",
            "valid_from",
            "valid_to",
            "name",
            "description",
            "stages_table",
            "unified_form",
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return []
        return ["bundle", "number", "status", "valid_from", "valid_to", "stages_table", "unified_form"]

    def save_model(self, request: HttpRequest, obj: BundleVersion, form: ModelForm[Any], change: bool) -> None:
        data = form.cleaned_data
        if change:
            version = services.bundle_version_update(
                actor=_actor(request),
                version=obj,
                name=data["name"],
                description=data.get("description", ""),
                stages=data["stages_text"],
            )
        else:
            version = services.bundle_create(
                actor=_actor(request),
                code=data["code"],
                name=data["name"],
                description=data.get("description", ""),
                stages=data["stages_text"],
            )
        obj.pk = version.pk
        obj.bundle = version.bundle

    def save_related(self, request: HttpRequest, form: ModelForm[Any], formsets: Any, change: bool) -> None:
        """The stages were written by the service in save_model."""

    @admin.action(description=_("发布"))
    def publish(self, request: HttpRequest, queryset: QuerySet[BundleVersion]) -> None:
        _run_each(
            request,
            queryset,
            lambda v: services.bundle_version_publish(actor=_actor(request), version=v),
            gettext("已发布"),
        )

    @admin.action(description=_("废止"))
    def retire(self, request: HttpRequest, queryset: QuerySet[BundleVersion]) -> None:
        def retire_one(version: BundleVersion) -> None:
            if version.status != VersionStatus.PUBLISHED:
                raise DomainError(gettext("只能废止已发布的版本"), code="version_not_published")
            services.bundle_retire(actor=_actor(request), bundle=version.bundle)

        _run_each(request, queryset, retire_one, gettext("已废止"))

    @admin.action(description=_("基于此版本新建草稿"))
    def draft_from(self, request: HttpRequest, queryset: QuerySet[BundleVersion]) -> None:
        _run_each(
            request,
            queryset,
            lambda v: services.bundle_version_draft_from(actor=_actor(request), version=v),
            gettext("已新建草稿"),
        )


@admin.register(Bundle)
class BundleAdmin(RoleAdmin):
    list_display = ["code", "created_at"]
    search_fields = ["code", "versions__name"]
    readonly_fields = ["code", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a bundle is added with its first version (一件事版本 → 新增)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
