"""送达: a certificate handed over at a window (by the holder or an authorised agent), posted with its
tracking number, or downloaded by its holder; each recorded with its audit event on the licence's stream."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from onewindow import clock
from onewindow.agency.domain import AgencyAction
from onewindow.agency.selectors import agency_permit
from onewindow.certificates import selectors
from onewindow.certificates.domain import CertificateStatus, Method, check_deliverable, delivery_problems
from onewindow.certificates.models import Certificate, Delivery
from onewindow.certificates.services.common import audit
from onewindow.errors import InvalidFields, PermissionDenied
from onewindow.orgs.models import User, Window


@transaction.atomic
def certificate_hand_over(
    *,
    actor: User,
    certificate: Certificate,
    method: str,
    recipient_name: str = "",
    carrier: str = "",
    tracking_number: str = "",
    window: Window | None = None,
    agent: User | None = None,
) -> Delivery:
    """A clerk records a window collection (窗口领取) or a posting (邮寄送达) of the current version."""
    locked = Certificate.objects.select_for_update(of=("self",)).select_related(*selectors.RELATED)
    certificate = locked.get(pk=certificate.pk)
    if not selectors.may_deliver(actor, certificate):
        raise PermissionDenied("只有受理地窗口或颁发部门的工作人员可以登记证照送达", code="certificate_not_deliverer")
    if method not in (Method.WINDOW, Method.POST):
        raise InvalidFields("请选择送达方式", errors={"method": "只能登记窗口领取或邮寄送达"}, code="delivery_invalid")
    method = Method(method)
    check_deliverable(CertificateStatus(certificate.status), certificate.valid_until, clock.today())
    problems = delivery_problems(
        method, recipient_name=recipient_name, tracking_number=tracking_number, carrier=carrier
    )
    if problems:
        raise InvalidFields("送达登记有误，请逐项修改", errors=problems, code="delivery_invalid")
    authorisation_id = _agent_authorisation(agent, certificate) if method is Method.WINDOW else None
    delivery = Delivery.objects.create(
        certificate=certificate,
        method=method,
        delivered_at=clock.now(),
        recorded_by=actor,
        recipient_name=recipient_name.strip()[:100],
        agent=agent if method is Method.WINDOW else None,
        window=window if method is Method.WINDOW else None,
        carrier=carrier.strip()[:40] if method is Method.POST else "",
        tracking_number=tracking_number.strip() if method is Method.POST else "",
    )
    changes = {"delivery_id": delivery.pk, "method": method.value, "window_id": window.pk if window else None}
    if method is Method.POST:
        changes |= {"carrier": delivery.carrier, "tracking_number": delivery.tracking_number}
    if delivery.agent_id is not None:
        changes |= {"agent_id": delivery.agent_id, "authorisation_id": authorisation_id}
    audit(certificate, action="certificate_delivered", actor=actor, changes=changes)
    return delivery


def _agent_authorisation(agent: User | None, certificate: Certificate) -> int | None:
    """An agent collects only under the holder's authorisation covering 领取办理结果, valid today."""
    if agent is None:
        return None
    permit = agency_permit(agent, applicant=certificate.applicant, action=AgencyAction.COLLECT, case=certificate.case)
    if permit.authorisation is None:
        raise permit.refused or PermissionDenied("该代办员未获持证人委托领取办理结果", code="agent_not_authorised")
    return permit.authorisation.pk


def certificate_downloaded(*, user: User, certificate: Certificate) -> None:
    """The holder's first download of a current version is its online delivery (later ones, and those of
    a replaced or revoked version, are only served)."""
    if certificate.status != CertificateStatus.VALID:
        return
    if Delivery.objects.filter(certificate=certificate, recorded_by=user, method=Method.DOWNLOAD).exists():
        return
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                certificate=certificate, method=Method.DOWNLOAD, delivered_at=clock.now(), recorded_by=user
            )
            audit(
                certificate,
                action="certificate_delivered",
                actor=user,
                changes={"delivery_id": delivery.pk, "method": "download"},
            )
    except IntegrityError:  # the same holder's other download, at the same moment, recorded it
        return
