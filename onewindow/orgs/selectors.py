"""Scoped reads: who may see which organisations. Every list in the platform goes through here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import Q, QuerySet

from onewindow.orgs.domain import Role, can_see_personal_data, is_within, mask_id_number, mask_phone
from onewindow.orgs.models import Applicant, Membership, Organisation, User

_MEMBERSHIPS = "_onewindow_memberships"


def _memberships(user: User) -> list[tuple[Role, str]]:
    """The user's roles with their organisations' paths: one query per user object, i.e. per request."""
    cached: list[tuple[Role, str]] | None = user.__dict__.get(_MEMBERSHIPS)
    if cached is None:
        cached = _keep(user, Membership.objects.filter(user_id=user.pk).values_list("role", "organisation__path"))
    return cached


def _keep(user: User, rows: Iterable[Sequence[str]]) -> list[tuple[Role, str]]:
    kept = user.__dict__[_MEMBERSHIPS] = [(Role(role), path) for role, path in rows]
    return kept


def user_memberships_unread(user: User | None) -> bool:
    """True when the user's memberships are still to be read (the case lock reads them with the case)."""
    return user is not None and user.is_authenticated and _MEMBERSHIPS not in user.__dict__


def user_memberships_keep(user: User, memberships: Iterable[tuple[Role, str]]) -> None:
    """Keep memberships read by another statement (the case lock's) on the user object, as `_memberships` does."""
    user.__dict__[_MEMBERSHIPS] = list(memberships)


def user_forget_memberships(user: User) -> None:
    """Read the user's memberships again on next use (after a grant or a revocation)."""
    user.__dict__.pop(_MEMBERSHIPS, None)


def user_roles(user: User) -> set[Role]:
    if not user.is_authenticated:
        return set()
    return {role for role, _ in _memberships(user)}


def membership_paths(user: User | None, roles: Iterable[Role] | None = None) -> set[str]:
    """The paths of the organisations where the user holds one of `roles` (any role when None)."""
    if user is None or not user.is_authenticated:
        return set()
    return {path for role, path in _memberships(user) if roles is None or role in roles}


def holds_role_over(user: User | None, organisation: Organisation, roles: Iterable[Role]) -> bool:
    """The user holds one of `roles` in `organisation` or in an organisation above it."""
    return is_within(organisation.path, membership_paths(user, roles))


def user_has_role(user: User, *roles: Role) -> bool:
    return bool(user_roles(user) & set(roles))


def user_is_applicant(user: User) -> bool:
    """The account is an applicant's online account (Applicant.user): a citizen's or an enterprise's."""
    return Applicant.objects.filter(user_id=user.pk).exists()


def organisations_visible_to(user: User, *, roles: set[Role] | None = None) -> QuerySet[Organisation]:
    """The user's organisations and everything below them (optionally only through some roles)."""
    paths = membership_paths(user, roles)
    if not paths:
        return Organisation.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return Organisation.objects.filter(condition)


def organisation_subtree(organisation: Organisation) -> QuerySet[Organisation]:
    return Organisation.objects.filter(path__startswith=organisation.path)


def applicants_of(user: User) -> QuerySet[Applicant]:
    """The applicants an online account files for (a person, and the enterprises they registered)."""
    return Applicant.objects.filter(user=user).order_by("id")


def display_id_number(viewer: User, value: str) -> str:
    return value if can_see_personal_data(user_roles(viewer)) else mask_id_number(value)


def display_phone(viewer: User, value: str) -> str:
    return value if can_see_personal_data(user_roles(viewer)) else mask_phone(value)
