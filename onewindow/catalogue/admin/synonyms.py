"""The synonym table in the admin (同义词): kept by the system admin, who keeps the catalogue.

One row is a group of words that mean the same, typed on one line (开公司、企业开办、设立公司).
Every save and delete goes through `services.synonyms` (audited); the next search uses it.
Registered with the rest of the catalogue admin (`catalogue.admin`), imported by CatalogueConfig.ready().
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from onewindow.audit.admin_trail import AuditTrailAdminMixin
from onewindow.catalogue import search
from onewindow.catalogue.admin.common import DomainErrorsAsMessages
from onewindow.catalogue.domain import CatalogueRuleError
from onewindow.catalogue.models import Synonym, SynonymGroup
from onewindow.catalogue.services import synonyms as services_synonyms
from onewindow.orgs.admin_access import RoleAdmin


class SynonymGroupForm(forms.ModelForm):  # type: ignore[type-arg]
    words = forms.CharField(
        label=_("同义词"),
        max_length=500,
        widget=forms.TextInput(attrs={"size": 80}),
        help_text=_(
            "意思相同的词，用顿号、逗号或空格隔开，如：开公司、企业开办、设立公司。"
            "每个词 2 至 20 个字，一个词只能在一组中。"
        ),
    )

    class Meta:
        model = SynonymGroup
        fields = ["words", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["words"].initial = "、".join(s.word for s in self.instance.synonyms.order_by("position"))

    def clean_words(self) -> tuple[str, ...]:
        try:
            words = search.synonym_words(search.split_synonyms(self.cleaned_data["words"]))
        except CatalogueRuleError as error:
            raise forms.ValidationError(error.message, code=error.code) from error
        # The service refuses it too (a concurrent save is a message there); here it is shown on the field.
        taken = Synonym.objects.filter(word__in=words).exclude(group_id=self.instance.pk).first()
        if taken is not None:
            raise forms.ValidationError(
                _("“%(word)s”已在同义词组“%(group)s”中，一个词只能属于一组"),
                code="synonym_word_taken",
                params={"word": taken.word, "group": str(taken.group)},
            )
        return words


@admin.register(SynonymGroup)
class SynonymGroupAdmin(AuditTrailAdminMixin, DomainErrorsAsMessages, RoleAdmin):
    form = SynonymGroupForm
    list_display = ["words_text", "note", "updated_at"]
    search_fields = ["synonyms__word", "note"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[SynonymGroup]:
        return super().get_queryset(request).prefetch_related("synonyms")

    @admin.display(description=_("同义词"))
    def words_text(self, obj: SynonymGroup) -> str:
        return "、".join(s.word for s in sorted(obj.synonyms.all(), key=lambda s: s.position))

    def save_model(self, request: HttpRequest, obj: SynonymGroup, form: ModelForm[Any], change: bool) -> None:
        actor: Any = request.user
        words, note = form.cleaned_data["words"], form.cleaned_data.get("note", "")
        if change:
            saved = services_synonyms.synonym_group_update(actor=actor, group=obj, words=words, note=note)
        else:
            saved = services_synonyms.synonym_group_create(actor=actor, words=words, note=note)
        obj.pk = saved.pk

    def save_related(self, request: HttpRequest, form: ModelForm[Any], formsets: Any, change: bool) -> None:
        """The words were written by the service in save_model."""

    def delete_model(self, request: HttpRequest, obj: SynonymGroup) -> None:
        services_synonyms.synonym_group_delete(actor=request.user, group=obj)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[SynonymGroup]) -> None:
        for group in queryset:
            services_synonyms.synonym_group_delete(actor=request.user, group=group)  # type: ignore[arg-type]
