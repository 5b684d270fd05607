"""证照类型 in the admin (system admin edits; every save through services.types, audited) and the
certificates read-only (changes go through the lifecycle services on the staff pages)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from onewindow.certificates.models import Certificate, CertificateType
from onewindow.certificates.services.types import certificate_type_save, field_specs_errors
from onewindow.orgs.admin_access import RoleAdmin
from onewindow.orgs.domain import Role


class CertificateTypeForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = CertificateType
        fields = [
            "code",
            "name",
            "number_prefix",
            "matters",
            "department",
            "issuer_code",
            "holder_kind",
            "field_specs",
            "validity_months",
            "template",
            "legal_basis",
            "is_active",
        ]

    def clean_field_specs(self) -> Any:
        value = self.cleaned_data["field_specs"]
        problem = field_specs_errors(value)
        if problem:
            raise forms.ValidationError(problem)
        return value


@admin.register(CertificateType)
class CertificateTypeAdmin(RoleAdmin):
    form = CertificateTypeForm
    list_display = ["code", "name", "number_prefix", "validity_months", "is_active"]
    search_fields = ["code", "name"]
    filter_horizontal = ["matters"]
    view_roles = (Role.SUPERVISOR,)

    def save_model(self, request: HttpRequest, obj: CertificateType, form: Any, change: bool) -> None:
        """Saved with its matters in save_related, through the service (one audit event)."""

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        user: Any = request.user
        matter_ids = [m.pk for m in form.cleaned_data["matters"]]
        certificate_type_save(actor=user, certificate_type=form.instance, matter_ids=matter_ids)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Certificate)
class CertificateAdmin(RoleAdmin):
    list_display = ["number", "certificate_type", "holder_name", "status", "issued_on", "due_on"]
    list_filter = ["status", "warning_level"]
    search_fields = ["number", "licence_number", "holder_name"]
    edit_roles = ()
    view_roles = (Role.SYSTEM_ADMIN, Role.SUPERVISOR)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
