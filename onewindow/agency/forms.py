"""HTML forms of the agency pages: they parse what was typed; the services hold the rules, and their
InvalidFields is put back beside the fields (`add_service_errors`), so every problem shows at once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onewindow.agency.domain import ACTION_LABELS
from onewindow.agency.selectors import agents_to_choose
from onewindow.orgs.models import Applicant, User
from onewindow.projects.forms import DATE_INPUT, BootstrapForm

SCOPE_CHOICES = [(action.value, _(label)) for action, label in ACTION_LABELS.items()]


def agent_label(user: User) -> str:
    return f"{user.name}({user.username})" if user.name else user.username


class AgentChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return agent_label(obj)


class AuthorisationForm(BootstrapForm):
    """What an authorisation says: the agent, the scope, the period and the signed 委托书."""

    agent = AgentChoice(label=_("代办员"), queryset=User.objects.none(), required=False, empty_label=_("请选择"))
    scope = forms.MultipleChoiceField(
        label=_("委托范围"), choices=SCOPE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    valid_from = forms.DateField(label=_("起始日期"), required=False, widget=DATE_INPUT)
    valid_until = forms.DateField(label=_("截止日期"), required=False, widget=DATE_INPUT)
    document = forms.FileField(label=_("授权委托书"), required=False, help_text=_("PDF、JPG、PNG 或 OFD，不超过 20 MB"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = agents_to_choose()  # type: ignore[attr-defined]
        self.fields["scope"].widget.attrs["class"] = "form-check-input"


class WindowAuthorisationForm(AuthorisationForm):
    """At the window: the applicant is found or registered by ID number / credit code."""

    applicant_kind = forms.ChoiceField(label=_("申请人类型"), choices=Applicant.Kind.choices)
    applicant_name = forms.CharField(label=_("申请人名称/姓名"), max_length=200)
    id_number = forms.CharField(label=_("证件号码"), max_length=30)
    field_order = ["applicant_kind", "applicant_name", "id_number"]


class OnlineAuthorisationForm(AuthorisationForm):
    """Online: one of the account's own applicants."""

    applicant = forms.ModelChoiceField(label=_("委托人"), queryset=Applicant.objects.none(), empty_label=None)
    field_order = ["applicant"]

    def __init__(self, *args: Any, applicants: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applicant"].queryset = applicants  # type: ignore[attr-defined]


class RevokeForm(BootstrapForm):
    reason = forms.CharField(label=_("撤销原因"), max_length=1000, required=False, widget=forms.Textarea({"rows": 2}))


class ProjectAgentForm(BootstrapForm):
    agent = AgentChoice(label=_("代办员"), queryset=User.objects.none(), required=False, empty_label=_("请选择"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = agents_to_choose()  # type: ignore[attr-defined]
