"""Admin pages of the calendar (system admin edits). Every save goes through the audited services.

Entering a new year: open "年度节假日安排", add the year, add one inline row per holiday period
(first day and, for a period, its last day) and one per make-up workday, tick "已公布", save.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from onewindow.audit.admin_trail import AuditTrailAdminMixin
from onewindow.errors import DomainError
from onewindow.orgs.admin_access import RoleAdmin
from onewindow.orgs.selectors import user_has_role
from onewindow.workdays import selectors, services
from onewindow.workdays.domain import DayKind
from onewindow.workdays.models import CalendarYear, SpecialDay


class SpecialDayForm(forms.ModelForm):  # type: ignore[type-arg]
    """One day, or (new rows only) a holiday period from `on` to `last_on`."""

    last_on = forms.DateField(label=_("至（含，可选）"), required=False, help_text=_("放假时段的最后一天；单日可不填"))

    class Meta:
        model = SpecialDay
        fields = ["on", "last_on", "kind", "name"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        on, last_on = data.get("on"), data.get("last_on")
        if self.instance.pk and "on" in self.changed_data:
            self.add_error("on", _("已保存的日期不能修改，请删除后重新录入"))
        if on and last_on and last_on < on:
            self.add_error("last_on", _("结束日期不能早于开始日期"))
        if on and last_on and self.instance.pk and last_on != on:
            self.add_error("last_on", _("时段只能在新增时录入"))
        year = self.instance.calendar_year_id
        if year and on and (on.year != year or (last_on and last_on.year != year)):
            self.add_error("on", _("日期须在 {year} 年内").format(year=year))
        return data


def _actor(request: HttpRequest) -> Any:
    return request.user


def _save_day(request: HttpRequest, form: SpecialDayForm, change: bool) -> SpecialDay | None:
    data = form.cleaned_data
    kind = DayKind(data["kind"])
    if change:
        return services.special_day_change(actor=_actor(request), day=form.instance, kind=kind, name=data["name"])
    created = services.special_days_add(
        actor=_actor(request), first_on=data["on"], last_on=data.get("last_on"), kind=kind, name=data["name"]
    )
    return created[0]


def _may_edit(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(user.is_active and user_has_role(user, *CalendarYearAdmin.edit_roles))


class SpecialDayInline(admin.TabularInline):  # type: ignore[type-arg]
    model = SpecialDay
    form = SpecialDayForm
    extra = 3
    fields = ["on", "last_on", "kind", "name", "source"]
    readonly_fields = ["source"]
    ordering = ["on"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _may_edit(request)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _may_edit(request)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _may_edit(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _may_edit(request)


@admin.register(CalendarYear)
class CalendarYearAdmin(AuditTrailAdminMixin, RoleAdmin):
    list_display = ["year", "is_published", "published_by", "holiday_count", "makeup_count", "updated_at"]
    list_filter = ["is_published"]
    fields = ["year", "is_published", "published_by", "note"]
    inlines = [SpecialDayInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CalendarYear]:
        queryset: QuerySet[CalendarYear] = super().get_queryset(request)
        return queryset.annotate(
            holiday_total=Count("special_days", filter=Q(special_days__kind=DayKind.HOLIDAY)),
            makeup_total=Count("special_days", filter=Q(special_days__kind=DayKind.MAKEUP_WORKDAY)),
        )

    @admin.display(description=_("放假天数"))
    def holiday_count(self, obj: Any) -> int:
        return int(obj.holiday_total)

    @admin.display(description=_("调休上班天数"))
    def makeup_count(self, obj: Any) -> int:
        return int(obj.makeup_total)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["year"] if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # a year's days are removed one by one; the year row stays as the record

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        this_year = timezone.localdate().year
        for year in selectors.years_not_known([this_year, this_year + 1]):
            messages.warning(
                request, _("{year} 年的节假日安排尚未录入或未勾选“已公布”：该年的期限为暂定。").format(year=year)
            )
        return super().changelist_view(request, extra_context)

    def save_model(self, request: HttpRequest, obj: CalendarYear, form: ModelForm[CalendarYear], change: bool) -> None:
        saved = services.calendar_year_save(
            actor=_actor(request),
            year=obj.year,
            is_published=obj.is_published,
            published_by=obj.published_by,
            note=obj.note,
        )
        obj.pk = saved.pk

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        # The admin's change message reads these three lists after the save.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms:
                if inline_form.instance.pk:
                    services.special_day_remove(actor=_actor(request), day=inline_form.instance)
                    formset.deleted_objects.append(inline_form.instance)
            elif inline_form.has_changed():
                existing = bool(inline_form.instance.pk)
                saved = _save_or_report(request, inline_form, change=existing)
                if saved is not None and existing:
                    formset.changed_objects.append((saved, inline_form.changed_data))
                elif saved is not None:
                    formset.new_objects.append(saved)


def _save_or_report(request: HttpRequest, form: SpecialDayForm, *, change: bool) -> SpecialDay | None:
    try:
        return _save_day(request, form, change)
    except DomainError as exc:
        messages.error(request, exc.message)
        return None


# Monday first, as date.weekday() counts; shown after "星期" in the list.
WEEKDAYS = (
    pgettext_lazy("weekday", "一"),
    pgettext_lazy("weekday", "二"),
    pgettext_lazy("weekday", "三"),
    pgettext_lazy("weekday", "四"),
    pgettext_lazy("weekday", "五"),
    pgettext_lazy("weekday", "六"),
    pgettext_lazy("weekday", "日"),
)


@admin.register(SpecialDay)
class SpecialDayAdmin(RoleAdmin):
    form = SpecialDayForm
    list_display = ["on", "weekday", "kind", "name", "source", "updated_at"]
    list_filter = ["kind", "source", "calendar_year"]
    search_fields = ["name"]
    date_hierarchy = "on"

    @admin.display(description=_("星期"))
    def weekday(self, obj: SpecialDay) -> str:
        return str(WEEKDAYS[obj.on.weekday()])

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("on", "kind", "name") if obj is not None else ("on", "last_on", "kind", "name")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["on"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: SpecialDay, form: Any, change: bool) -> None:
        saved = _save_day(request, form, change)
        if saved is not None:
            obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: SpecialDay) -> None:
        services.special_day_remove(actor=_actor(request), day=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[SpecialDay]) -> None:
        for day in queryset:
            self.delete_model(request, day)
