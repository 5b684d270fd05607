"""Bundles (一件事) and their versions in the admin: stages typed as lines
`阶段名称 | 牵头部门编码 | 事项编码、事项编码`; published versions show the pinned matter versions
and the unified form."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onewindow.catalogue import services
from onewindow.catalogue.admin.common import VersionAdminMixin, VersionServices, actor_of
from onewindow.catalogue.models import Bundle, BundleVersion, Matter, StageMatter
from onewindow.errors import DomainError
from onewindow.orgs.admin_access import RoleAdmin
from onewindow.orgs.models import Organisation


def _retire_bundle(*, actor: Any, version: BundleVersion) -> object:
    return services.bundle_retire(actor=actor, bundle=version.bundle)


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
class BundleVersionAdmin(VersionAdminMixin):
    version_services = VersionServices(
        publish=services.bundle_version_publish, retire=_retire_bundle, draft_from=services.bundle_version_draft_from
    )
    form = BundleVersionForm
    list_display = ["name", "bundle", "number", "status", "valid_from", "valid_to"]
    list_filter = ["status"]
    search_fields = ["name", "bundle__code"]

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
                actor=actor_of(request),
                version=obj,
                name=data["name"],
                description=data.get("description", ""),
                stages=data["stages_text"],
            )
        else:
            version = services.bundle_create(
                actor=actor_of(request),
                code=data["code"],
                name=data["name"],
                description=data.get("description", ""),
                stages=data["stages_text"],
            )
        obj.pk = version.pk
        obj.bundle = version.bundle

    def save_related(self, request: HttpRequest, form: ModelForm[Any], formsets: Any, change: bool) -> None:
        """The stages were written by the service in save_model."""


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
