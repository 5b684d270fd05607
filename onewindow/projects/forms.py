"""HTML forms of the registry pages: they parse what was typed; the services hold the rules.

A service's InvalidFields is put back on the form beside its fields (`add_service_errors`), so one
submission shows every problem at once and keeps what was typed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from onewindow.errors import DomainError
from onewindow.orgs.models import Organisation
from onewindow.projects.domain import LEVEL_LABELS, MILESTONE_KIND_LABELS, PHASE_LABELS, Phase
from onewindow.projects.excel.importer import read_registry_file
from onewindow.projects.excel.layout import TAG_SPLIT
from onewindow.projects.services.registry import ProjectData
from onewindow.projects.services.roadmap import MilestoneInput
from onewindow.web.http import field_errors

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BootstrapForm(forms.Form):
    """Bootstrap classes on every widget; service errors mapped back onto fields."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def add_service_errors(self, exc: DomainError, fields: Mapping[str, str] | None = None) -> None:
        """Put the error beside its field (`fields` renames service fields to form fields)."""
        errors = field_errors(exc)
        if not errors:
            self.add_error(None, exc.message)
        for name, message in errors.items():
            name = (fields or {}).get(name, name)
            self.add_error(name if name in self.fields else None, message)


class ProjectForm(BootstrapForm):
    code = forms.CharField(label=_("项目编码"), max_length=40)
    name = forms.CharField(label=_("项目名称"), max_length=200)
    owner_name = forms.CharField(label=_("业主单位"), max_length=200)
    owner_credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=30)
    district = forms.ModelChoiceField(label=_("所属区县"), queryset=Organisation.objects.none())
    industry = forms.CharField(label=_("行业"), max_length=50)
    chain_tags = forms.CharField(label=_("产业链"), required=False, help_text=_("多个用“、”分隔"))
    total_investment = forms.DecimalField(label=_("总投资（万元）"), max_digits=14, decimal_places=2)
    level = forms.ChoiceField(label=_("项目级别"), choices=list(LEVEL_LABELS.items()))
    planned_start = forms.DateField(label=_("计划开工"), required=False, widget=DATE_INPUT)
    planned_finish = forms.DateField(label=_("计划竣工"), required=False, widget=DATE_INPUT)
    location = forms.CharField(label=_("建设地点"), max_length=200, required=False)
    description = forms.CharField(label=_("建设内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, districts: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district_field = self.fields["district"]
        assert isinstance(district_field, forms.ModelChoiceField)
        district_field.queryset = districts.order_by("path")

    def project_data(self) -> ProjectData:
        data = self.cleaned_data
        return ProjectData(
            code=data["code"],
            name=data["name"],
            owner_name=data["owner_name"],
            owner_credit_code=data["owner_credit_code"],
            district=data["district"],
            industry=data["industry"],
            total_investment=data["total_investment"],
            level=data["level"],
            chain_tags=TAG_SPLIT.split(data["chain_tags"] or ""),
            planned_start=data["planned_start"],
            planned_finish=data["planned_finish"],
            location=data["location"],
            description=data["description"],
        )


class NewProjectForm(ProjectForm):
    phase = forms.ChoiceField(label=_("建设阶段"), choices=list(PHASE_LABELS.items()), initial="reserve")


class PlanForm(BootstrapForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(
        label=_("计划投资（万元）"),
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("留空则删除该年度计划"),
    )


class EditProjectForm(ProjectForm):
    """The edit page: a project that has started also shows its actual start, to correct it."""

    actual_start = forms.DateField(label=_("实际开工"), required=False, widget=DATE_INPUT)

    def __init__(self, *args: Any, started: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not started:
            del self.fields["actual_start"]


class PhaseForm(BootstrapForm):
    to_phase = forms.ChoiceField(label=_("变更为"), choices=list(PHASE_LABELS.items()))
    reason = forms.CharField(label=_("变更原因"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    started_on = forms.DateField(
        label=_("实际开工日期"), required=False, widget=DATE_INPUT, help_text=_("项目实际开工的日期，不能晚于今天")
    )

    def start_day(self) -> dt.date | None:
        """The actual start typed for the move to 新开工 (None otherwise: the service's default, today)."""
        started_on: dt.date | None = self.cleaned_data["started_on"]
        return started_on if self.cleaned_data["to_phase"] == Phase.NEW_START else None


class TeamForm(BootstrapForm):
    help = _("填写“姓名（用户名）”、用户名或唯一的姓名；留空表示无人")
    leader = forms.CharField(label=_("包联领导"), required=False, max_length=200, help_text=help)
    chief_service = forms.CharField(label=_("首席服务人"), required=False, max_length=200)
    secretary = forms.CharField(label=_("项目秘书"), required=False, max_length=200)
    commissioner = forms.CharField(label=_("企业特派员"), required=False, max_length=200)
    responsible_unit = forms.CharField(
        label=_("责任单位"), required=False, max_length=200, help_text=_("单位编码或名称（部门可带区划名）")
    )


class RoadmapTargetForm(BootstrapForm):
    target_on = forms.DateField(label=_("目标日期"), widget=DATE_INPUT, help_text=_("最后一个节点在此日完成"))


class MilestoneForm(BootstrapForm):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("类型"), choices=[("", "—"), *MILESTONE_KIND_LABELS.items()])
    name = forms.CharField(label=_("节点名称"), max_length=100)
    duration_days = forms.IntegerField(label=_("所需天数"), min_value=0, max_value=3650)
    counts_working_days = forms.BooleanField(
        label=_("按工作日计"), required=False, help_text=_("审批类节点总按工作日计")
    )
    planned_on = forms.DateField(label=_("计划完成"), required=False, widget=DATE_INPUT)

    def milestone_input(self) -> MilestoneInput:
        data = self.cleaned_data
        return MilestoneInput(
            kind=data["kind"],
            name=data["name"],
            duration_days=data["duration_days"],
            counts_working_days=bool(data["counts_working_days"]),
            planned_on=data["planned_on"],
            id=data["id"],
        )


class BaseMilestoneFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """The ordering and deletion fields the formset adds, styled like the others."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["ORDER"].widget.attrs["class"] = "form-control"
        form.fields["DELETE"].widget.attrs["class"] = "form-check-input"


MilestoneFormSet = forms.formset_factory(
    MilestoneForm, formset=BaseMilestoneFormSet, extra=3, can_delete=True, can_order=True, max_num=30, absolute_max=60
)


class ActualForm(BootstrapForm):
    actual_on = forms.DateField(label=_("实际完成"), required=False, widget=DATE_INPUT)


class LinkCaseForm(BootstrapForm):
    case_number = forms.CharField(label=_("办件编号"), max_length=40)


class ImportForm(BootstrapForm):
    file = forms.FileField(label=_("Excel 文件(.xlsx)"))
    dry_run = forms.BooleanField(label=_("只检查，不导入"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        try:
            cleaned["rows"] = read_registry_file(upload)
        except DomainError as error:
            raise forms.ValidationError(error.message, code=error.code) from error
        return cleaned
