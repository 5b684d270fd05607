from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from onewindow.audit.selectors import EventFilters


class EventFilterForm(forms.Form):
    stream = forms.CharField(label=_("流"), required=False, max_length=120)
    action = forms.CharField(label=_("动作"), required=False, max_length=100)
    actor_id = forms.IntegerField(label=_("操作人编号"), required=False, min_value=1)
    occurred_on_or_after = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput({"type": "date"})
    )
    occurred_on_or_before = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput({"type": "date"})
    )

    def clean(self) -> dict[str, object]:
        cleaned: dict[str, object] = super().clean() or {}
        start, end = cleaned.get("occurred_on_or_after"), cleaned.get("occurred_on_or_before")
        if start and end and start > end:  # type: ignore[operator]
            raise forms.ValidationError(_("起始日期不能晚于截止日期"), code="date_range_reversed")
        return cleaned

    def filters(self) -> EventFilters:
        """The filters to apply: none of them when the form is invalid (the errors are shown instead)."""
        if not self.is_valid():
            return EventFilters()
        data = self.cleaned_data
        return EventFilters(
            stream=data["stream"],
            action=data["action"],
            actor_id=data["actor_id"],
            occurred_on_or_after=data["occurred_on_or_after"],
            occurred_on_or_before=data["occurred_on_or_before"],
        )
