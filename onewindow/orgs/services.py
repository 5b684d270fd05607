"""Writes to the organisation tree, memberships and applicants. Each audited in its transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from axes.models import AccessAttempt
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from onewindow.audit.services import audit_record, pseudonym
from onewindow.errors import DomainError, NotFound, PermissionDenied
from onewindow.orgs import domain
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Applicant, Membership, Organisation, User
from onewindow.orgs.selectors import user_forget_memberships, user_is_applicant, user_roles


def organisation_create(
    *, code: str, name: str, level: str, parent: Organisation | None = None, short_name: str = ""
) -> Organisation:
    kind = Organisation.Kind.DEPARTMENT if level == Organisation.Level.DEPARTMENT else Organisation.Kind.REGION
    if kind == Organisation.Kind.DEPARTMENT and parent is None:
        raise DomainError(_("部门必须隶属于某个行政区划"), code="department_without_region", field="parent")
    path = f"{parent.path if parent else '/'}{code}/"
    organisation = Organisation.objects.create(
        kind=kind,
        level=level,
        code=code,
        name=name,
        short_name=short_name,
        parent=parent,
        path=path,
        depth=path.count("/") - 2,
    )
    return organisation


def _roles_stream(user: User) -> str:
    return f"user:{user.pk}:roles"


@transaction.atomic
def membership_grant(*, actor: User, user: User, organisation: Organisation, role: Role) -> Membership:
    """三权分立: only a security admin grants roles, never to themselves; admin roles stay apart."""
    locked_user = User.objects.select_for_update().get(pk=user.pk)
    grantee_roles = {Role(r) for r in Membership.objects.filter(user=locked_user).values_list("role", flat=True)}
    try:
        domain.check_role_grant(
            actor_roles=user_roles(actor),
            actor_is_grantee=actor.pk == user.pk,
            grantee_roles=grantee_roles,
            role=role,
            grantee_is_applicant=user_is_applicant(locked_user),
        )
    except domain.RoleGrantRefused as refused:
        raise PermissionDenied(refused.message, code=refused.code) from refused
    membership, created = Membership.objects.get_or_create(user=locked_user, organisation=organisation, role=role)
    user_forget_memberships(user)
    if created:
        audit_record(
            stream=_roles_stream(locked_user),
            action="orgs.role_granted",
            target_type="orgs.user",
            target_id=locked_user.pk,
            actor=actor,
            changes={"role": [None, role.value], "organisation_id": organisation.pk},
        )
    return membership


@transaction.atomic
def membership_revoke(*, actor: User, membership: Membership) -> None:
    if Role.SECURITY_ADMIN not in user_roles(actor):
        raise PermissionDenied(_("只有安全管理员可以收回角色"), code="role_revoke_not_security_admin")
    if actor.pk == membership.user_id:
        raise PermissionDenied(_("不能收回自己的角色"), code="role_revoke_self")
    locked = Membership.objects.select_for_update().filter(pk=membership.pk).first()
    if locked is None:
        raise NotFound(_("该任职记录不存在"))
    audit_record(
        stream=f"user:{locked.user_id}:roles",
        action="orgs.role_revoked",
        target_type="orgs.user",
        target_id=locked.user_id,
        actor=actor,
        changes={"role": [locked.role, None], "organisation_id": locked.organisation_id},
    )
    locked.delete()


def applicant_clean_id(kind: str, id_number: str) -> str:
    try:
        if kind == Applicant.Kind.PERSON:
            return domain.clean_resident_id(id_number, today=timezone.localdate())
        return domain.clean_credit_code(id_number)
    except domain.InvalidIdentifier as invalid:
        raise DomainError(str(invalid), code="invalid_id_number", field="id_number") from invalid


@transaction.atomic
def applicant_register(
    *,
    kind: str,
    name: str,
    id_number: str,
    phone: str = "",
    user: User | None = None,
    actor: User | None = None,
    legal_representative: str = "",
) -> Applicant:
    """Find or create the applicant for an ID number / credit code, validated by its check digit."""
    number = applicant_clean_id(kind, id_number)
    applicant, created = Applicant.objects.get_or_create(
        kind=kind,
        id_number=number,
        defaults={"name": name, "phone": phone, "user": user, "legal_representative": legal_representative},
    )
    if created:
        audit_record(
            stream=f"applicant:{applicant.pk}",
            action="orgs.applicant_registered",
            target_type="orgs.applicant",
            target_id=applicant.pk,
            actor=actor or user,
            changes={"kind": kind, "id_number": pseudonym(number)},
        )
    return applicant


@transaction.atomic
def security_admin_bootstrap(*, user: User, organisation: Organisation) -> Membership:
    """The one grant nobody grants: the first security admin of a deployment, refused once one exists."""
    if Membership.objects.select_for_update().filter(role=Role.SECURITY_ADMIN).exists():
        raise PermissionDenied(_("已有安全管理员，请由其分配角色"), code="security_admin_exists")
    if user.pk is not None and user_is_applicant(user):
        raise PermissionDenied(
            _("该账号是申请人的网上账号，不能担任工作人员角色；请为其另建工作人员账号。"),
            code="role_grant_to_applicant",
        )
    membership = Membership.objects.create(user=user, organisation=organisation, role=Role.SECURITY_ADMIN)
    audit_record(
        stream=_roles_stream(user),
        action="orgs.role_bootstrapped",
        target_type="orgs.user",
        target_id=user.pk,
        changes={"role": [None, Role.SECURITY_ADMIN.value], "organisation_id": organisation.pk},
    )
    return membership


# --- login lockouts (login_throttle.py) ------------------------------------------------------------

LOGIN_LOCKOUTS_STREAM = "login-lockouts"


def _login_target(username: str) -> tuple[str, str]:
    """The account the username names, or (no such account) the username's keyed hash."""
    user_id = User.objects.filter(username=username).values_list("pk", flat=True).first() if username else None
    return ("orgs.user", str(user_id)) if user_id is not None else ("orgs.login", pseudonym(username))


@transaction.atomic
def login_lockout_record(*, username: str, address: str, locked_until: dt.datetime | None) -> None:
    """A failed login locked the account or the address (the caller counted it in this transaction)."""
    target_type, target_id = _login_target(username)
    audit_record(
        stream=LOGIN_LOCKOUTS_STREAM,
        action="orgs.login_locked",
        target_type=target_type,
        target_id=target_id,
        changes={
            "username": pseudonym(username),
            "address": pseudonym(address),
            "locked_until": locked_until.isoformat() if locked_until else None,
        },
    )


@transaction.atomic
def login_lockout_lift(*, actor: User, usernames: Iterable[str] = (), addresses: Iterable[str] = ()) -> int:
    """The security admin lifts the locks of accounts and addresses: their counted failures go."""
    if Role.SECURITY_ADMIN not in user_roles(actor):
        raise PermissionDenied(_("只有安全管理员可以解除登录锁定"), code="login_unlock_not_security_admin")
    lifted = [("username", value, Q(username=value)) for value in sorted(set(usernames))]
    lifted += [("address", value, Q(ip_address=value)) for value in sorted(set(addresses))]
    deleted = 0
    for kind, value, condition in lifted:
        attempts = AccessAttempt.objects.filter(condition)
        failures = sum(attempts.values_list("failures_since_start", flat=True))
        target_type, target_id = _login_target(value) if kind == "username" else ("orgs.login", pseudonym(value))
        audit_record(
            stream=LOGIN_LOCKOUTS_STREAM,
            action="orgs.login_unlocked",
            target_type=target_type,
            target_id=target_id,
            actor=actor,
            changes={kind: pseudonym(value), "failures_forgotten": failures},
        )
        deleted += attempts.delete()[0]
    return deleted
