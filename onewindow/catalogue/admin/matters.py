"""Matters and their versions in the admin: a draft edited with its materials inline and its form
as JSON (validated field by field, shown as a table); the matter list links to the workbook."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import admin
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onewindow.catalogue import domain, services
from onewindow.catalogue.admin.common import (
    RoleInlineMixin,
    VersionAdminMixin,
    VersionServices,
    actor_of,
)
from onewindow.catalogue.admin.workbook import WorkbookAdminMixin
from onewindow.catalogue.domain import CatalogueRuleError, MaterialSpec
from onewindow.catalogue.models import Material, Matter, MatterVersion, VersionStatus
from onewindow.orgs.models import Organisation


def _retire_matter(*, actor: Any, version: MatterVersion) -> object:
    return services.matter_retire(actor=actor, matter=version.matter)


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
class MatterVersionAdmin(VersionAdminMixin):
    version_services = VersionServices(
        publish=services.matter_version_publish, retire=_retire_matter, draft_from=services.matter_version_draft_from
    )
    form = MatterVersionForm
    inlines = [MaterialInline]
    list_display = ["name", "matter", "number", "status", "valid_from", "valid_to", "department_name"]
    list_filter = ["status", "category", "online_level"]
    search_fields = ["name", "matter__code"]
    list_select_related = ["matter__department"]

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
                actor=actor_of(request), version=form.instance, content=form.content(), materials=materials
            )
        else:
            version = services.matter_create(
                actor=actor_of(request),
                code=form.cleaned_data["code"],
                department=form.cleaned_data["department"],
                content=form.content(),
                materials=materials or (),
            )
        form.instance.pk = version.pk
        form.instance.matter = version.matter
        _nothing_saved_by(formsets)


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
class MatterAdmin(WorkbookAdminMixin):
    """Matters and their versions; the Excel import and export live on this list."""

    list_display = ["code", "current_name", "department", "published_number"]
    search_fields = ["code", "versions__name"]
    list_select_related = ["department"]
    inlines = [MatterVersionInline]
    readonly_fields = ["code", "department", "created_at"]

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
