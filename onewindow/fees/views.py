"""Public fee pages (no login, no personal data): the fee catalogue with the policies in force, and the estimate
of a stage's fees from the fee materials. The estimate is a GET form: it stores nothing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onewindow.errors import DomainError, InvalidFields
from onewindow.fees import domain, selectors
from onewindow.fees.models import PayerClass, ProjectCategory

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
    return render(request, "fees/catalogue.html", context)


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
