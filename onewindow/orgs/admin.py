from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from onewindow.audit.admin_trail import AuditTrailAdminMixin
from onewindow.orgs import admin_lockouts, domain, services  # noqa: F401  (admin_lockouts registers its page)
from onewindow.orgs.admin_access import RoleAdmin
from onewindow.orgs.domain import Role, mask_id_number, mask_phone
from onewindow.orgs.models import Applicant, Hall, Membership, Organisation, User, Window
from onewindow.orgs.passwords import validate_staff_password
from onewindow.orgs.selectors import user_is_applicant, user_roles


class MaskedLookupsMixin(admin.ModelAdmin[Any]):
    """No filtering on personal data through the query string (?phone__startswith=138…): the lists
    show it masked, and counting the matches of ever longer prefixes would read it in clear."""

    masked_fields: tuple[str, ...] = ("phone", "id_number")

    def lookup_allowed(self, lookup: str, value: str, request: Any = None) -> bool:
        if any(part in self.masked_fields for part in lookup.split("__")):
            return False
        return super().lookup_allowed(lookup, value, request)


class UserChangeForm(DjangoUserChangeForm[User]):
    """The phone number is shown masked; a new one replaces it, an empty field keeps it."""

    new_phone = forms.CharField(
        label=_("新手机号"),
        max_length=User._meta.get_field("phone").max_length,
        required=False,
        help_text=_("原号码脱敏显示；填写新号码即替换，留空则不变。"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if new_phone := data.get("new_phone", "").strip():
            self.instance.phone = new_phone
        return data


class StaffUserCreationForm(AdminUserCreationForm):
    """Accounts made here are staff accounts (the security admin grants their role next): the staff
    password rule applies at once."""

    def validate_password_for_user(self, user: Any, **kwargs: Any) -> None:
        field = kwargs.get("password_field_name", "password2")
        password = self.cleaned_data.get(field)
        if password and self.cleaned_data["set_usable_password"]:
            try:
                validate_staff_password(password, user)
            except ValidationError as error:
                self.add_error(field, error)


@admin.register(User)
class UserAdmin(MaskedLookupsMixin, AuditTrailAdminMixin, RoleAdmin, DjangoUserAdmin[User]):
    form = UserChangeForm
    add_form = StaffUserCreationForm
    list_display = ["username", "name", "masked_phone", "is_active"]
    search_fields = ["username", "name"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("name", "masked_phone", "new_phone", "email")}),
        (_("状态"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    readonly_fields = ["masked_phone", "last_login", "date_joined"]

    @admin.display(description=_("手机号"))
    def masked_phone(self, obj: User) -> str:
        return mask_phone(obj.phone)


@admin.register(Organisation)
class OrganisationAdmin(RoleAdmin):
    list_display = ["name", "code", "kind", "level", "parent"]
    list_filter = ["kind", "level"]
    search_fields = ["name", "code"]
    readonly_fields = ["path", "depth"]
    autocomplete_fields = ["parent"]

    def save_model(self, request: HttpRequest, obj: Organisation, form: ModelForm[Organisation], change: bool) -> None:
        if not change:
            created = services.organisation_create(
                code=obj.code, name=obj.name, level=obj.level, parent=obj.parent, short_name=obj.short_name
            )
            obj.pk = created.pk
            return
        super().save_model(request, obj, form, change)


class WindowInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Window
    extra = 0
    autocomplete_fields = ["department"]


@admin.register(Hall)
class HallAdmin(RoleAdmin):
    list_display = ["name", "region", "address"]
    inlines = [WindowInline]


class MembershipForm(forms.ModelForm[Membership]):
    """Shows a refused grant (三权分立, granting oneself) as a form error before anything is saved."""

    actor: User

    class Meta:
        model = Membership
        fields = ["user", "organisation", "role"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        grantee, role = data.get("user"), data.get("role")
        if grantee is None or not role:
            return data
        try:
            domain.check_role_grant(
                actor_roles=user_roles(self.actor),
                actor_is_grantee=grantee.pk == self.actor.pk,
                grantee_roles={Role(r) for r in grantee.memberships.values_list("role", flat=True)},
                role=Role(role),
                grantee_is_applicant=user_is_applicant(grantee),
            )
        except domain.RoleGrantRefused as refused:
            raise forms.ValidationError(refused.message, code=refused.code) from refused
        return data


@admin.register(Membership)
class MembershipAdmin(RoleAdmin):
    """Roles are granted and revoked only through the audited services (security admin)."""

    edit_roles = (Role.SECURITY_ADMIN,)
    form = MembershipForm
    list_display = ["user", "organisation", "role", "granted_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        form.actor = request.user  # type: ignore[attr-defined]
        return form

    def save_model(self, request: HttpRequest, obj: Membership, form: ModelForm[Membership], change: bool) -> None:
        actor: Any = request.user
        granted = services.membership_grant(
            actor=actor, user=obj.user, organisation=obj.organisation, role=Role(obj.role)
        )
        obj.pk = granted.pk

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        actor: Any = request.user
        services.membership_revoke(actor=actor, membership=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        for membership in queryset:
            self.delete_model(request, membership)


@admin.register(Applicant)
class ApplicantAdmin(MaskedLookupsMixin, RoleAdmin):
    list_display = ["name", "kind", "masked_id_number", "masked_phone"]
    list_filter = ["kind"]
    search_fields = ["name"]
    exclude = ["id_number", "phone"]
    readonly_fields = ["masked_id_number", "masked_phone", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("证件号码"))
    def masked_id_number(self, obj: Applicant) -> str:
        return mask_id_number(obj.id_number)

    @admin.display(description=_("联系电话"))
    def masked_phone(self, obj: Applicant) -> str:
        return mask_phone(obj.phone)
