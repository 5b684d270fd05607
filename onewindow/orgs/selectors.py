"""Scoped reads: who may see which organisations. Every list in the platform goes through here."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from onewindow.orgs.domain import Role, can_see_personal_data, mask_id_number, mask_phone
from onewindow.orgs.models import Membership, Organisation, User


def user_roles(user: User) -> set[Role]:
    if not user.is_authenticated:
        return set()
    cached: set[Role] | None = getattr(user, "_onewindow_roles", None)
    if cached is None:
        cached = {Role(role) for role in Membership.objects.filter(user=user).values_list("role", flat=True)}
        user._onewindow_roles = cached  # type: ignore[attr-defined]
    return cached


def user_has_role(user: User, *roles: Role) -> bool:
    return bool(user_roles(user) & set(roles))


def organisations_visible_to(user: User, *, roles: set[Role] | None = None) -> QuerySet[Organisation]:
    """The user's organisations and everything below them (optionally only through some roles)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    memberships = Membership.objects.filter(user=user)
    if roles is not None:
        memberships = memberships.filter(role__in=[role.value for role in roles])
    paths = set(memberships.values_list("organisation__path", flat=True))
    if not paths:
        return Organisation.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return Organisation.objects.filter(condition)


def organisation_subtree(organisation: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.filter(path__startswith=organisation.path)


def display_id_number(viewer: User, value: str) -> str:
    return value if can_see_personal_data(user_roles(viewer)) else mask_id_number(value)


def display_phone(viewer: User, value: str) -> str:
    return value if can_see_personal_data(user_roles(viewer)) else mask_phone(value)
