"""Reads of the certificates, always scoped to the caller.

- staff (cases' STAFF_ROLES) see the certificates of the cases of their organisations' subtrees and
  those their department issued (`certificates_for_staff`);
- an applicant's account sees its applicants' certificates (`certificates_for_holder`);
- the public sees one version by its number, masked (`certificate_public`).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from onewindow.agency.models import Authorisation
from onewindow.cases.models import URGENCY
from onewindow.cases.selectors import STAFF_ROLES, is_staff
from onewindow.certificates.domain import CertificateStatus
from onewindow.certificates.models import Certificate, CertificateType
from onewindow.errors import NotFound
from onewindow.orgs.domain import Role
from onewindow.orgs.models import User, Window
from onewindow.orgs.selectors import holds_role_over, organisations_visible_to

RELATED = ("certificate_type", "department__parent", "region", "applicant", "case")
# Who may alter, renew, revoke and issue: the issuing department's staff (and those above it).
LIFECYCLE_ROLES = frozenset({Role.REVIEWER, Role.DEPARTMENT_HEAD, Role.LEAD_COORDINATOR, Role.CLERK})


def not_found() -> NotFound:
    return NotFound("证照不存在或无权查看", code="certificate_not_found")


def certificates_for_staff(user: User) -> QuerySet[Certificate]:
    if not (user.is_authenticated and user.is_active and is_staff(user)):
        return Certificate.objects.none()
    visible = organisations_visible_to(user, roles=set(STAFF_ROLES)).values("id")
    return Certificate.objects.filter(Q(region__in=visible) | Q(department__in=visible))


def certificates_for_holder(user: User) -> QuerySet[Certificate]:
    if not (user.is_authenticated and user.is_active):
        return Certificate.objects.none()
    return Certificate.objects.filter(applicant__user=user)


def certificate_list_for_staff(user: User, *, status: str = "", query: str = "") -> QuerySet[Certificate]:
    rows = certificates_for_staff(user).select_related(*RELATED)
    if status:
        rows = rows.filter(status=status)
    if query:
        rows = rows.filter(Q(number__icontains=query) | Q(holder_name__icontains=query) | Q(case__number=query))
    return rows.order_by("-created_at", "-id")


def certificate_issue_warnings(user: User) -> QuerySet[Certificate]:
    """Pending certificates (the Art. 44 clock runs), red first, then yellow, then by due date."""
    rows = certificates_for_staff(user).filter(status=CertificateStatus.PENDING).select_related(*RELATED)
    return rows.order_by(URGENCY, "due_on", "id")


def certificate_get_for_staff(*, user: User, certificate_id: int) -> Certificate:
    certificate = certificates_for_staff(user).select_related(*RELATED).filter(pk=certificate_id).first()
    if certificate is None:
        raise not_found()
    return certificate


def may_manage(user: User, certificate: Certificate) -> bool:
    return holds_role_over(user, certificate.department, LIFECYCLE_ROLES)


def may_deliver(user: User, certificate: Certificate) -> bool:
    """送达 is recorded by a clerk of the case's region (its window) or by the issuing department's staff."""
    return holds_role_over(user, certificate.region, {Role.CLERK}) or may_manage(user, certificate)


def delivery_windows(user: User) -> QuerySet[Window]:
    """The windows of the halls of the user's organisations (and below), for the window collection form."""
    visible = organisations_visible_to(user, roles=set(STAFF_ROLES)).values("id")
    return Window.objects.filter(hall__region__in=visible).select_related("hall").order_by("hall_id", "number")


def collecting_agents(certificate: Certificate) -> QuerySet[User]:
    """Agents holding an authorisation of the holder (whether it covers 领取 today, the service decides)."""
    agents = Authorisation.objects.filter(applicant=certificate.applicant).values("agent_id")
    return User.objects.filter(pk__in=agents).order_by("username")


def delivery_choice(
    user: User, certificate: Certificate, *, window_id: int | None, agent_id: int | None
) -> tuple[Window | None, User | None]:
    """The window and agent a 送达 form names, each among those offered to `user` (another is not found)."""
    window = delivery_windows(user).filter(pk=window_id).first() if window_id else None
    agent = collecting_agents(certificate).filter(pk=agent_id).first() if agent_id else None
    if (window_id and window is None) or (agent_id and agent is None):
        raise NotFound("未找到所选窗口或代办员", code="delivery_choice_not_found")
    return window, agent


def certificate_list_for_holder(user: User) -> QuerySet[Certificate]:
    return certificates_for_holder(user).select_related(*RELATED).order_by("-created_at", "-id")


def certificate_get_for_holder(*, user: User, certificate_id: int) -> Certificate:
    certificate = certificates_for_holder(user).select_related(*RELATED).filter(pk=certificate_id).first()
    if certificate is None:
        raise not_found()
    return certificate


def case_certificates_for_holder(*, user: User, case_id: int) -> list[Certificate]:
    """统一发证: the current version of every certificate of one case (a bundle's: one per matter)."""
    rows = certificates_for_holder(user).filter(case_id=case_id).select_related(*RELATED).order_by("id")
    latest: dict[str, Certificate] = {}
    for row in rows:
        if row.licence_number not in latest or row.version > latest[row.licence_number].version:
            latest[row.licence_number] = row
    return list(latest.values())


def certificate_public(number: str) -> Certificate:
    """One version by its number, for anyone (the verification page masks what it shows)."""
    certificate = Certificate.objects.select_related(*RELATED).filter(number=number).first()
    if certificate is None:
        raise NotFound("未找到该证照编号", code="certificate_not_found")
    return certificate


def certificate_by_pdf_hash(sha256: str) -> Certificate | None:
    if not sha256:
        return None
    return Certificate.objects.select_related(*RELATED).filter(pdf_sha256=sha256).first()


def certificate_versions(certificate: Certificate) -> list[Certificate]:
    return list(
        Certificate.objects.filter(licence_number=certificate.licence_number)
        .order_by("version")
        .select_related("certificate_type")
    )


def certificate_types_for_staff() -> QuerySet[CertificateType]:
    return CertificateType.objects.select_related("department").prefetch_related("matters").order_by("code")


def certificate_types_for_matter(matter_id: int) -> list[CertificateType]:
    """The active types a matter issues (its catalogue page shows them)."""
    return list(CertificateType.objects.filter(matters__id=matter_id, is_active=True).order_by("code"))


def today() -> dt.date:
    return timezone.localdate()
