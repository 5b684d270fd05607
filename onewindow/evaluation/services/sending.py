"""The SMS rating link, sent by a task after the case's ending committed (never inside it)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from onewindow.evaluation.models import Invitation
from onewindow.evaluation.services.links import sms_token
from onewindow.evaluation.services.ratings import invitation_open
from onewindow.notify.models import Delivery
from onewindow.notify.services import notify_send

TOPIC = "evaluation.invitation"


def rating_link_send(*, case_id: int) -> Delivery | None:
    """After the case's ending committed: its invitation, and the SMS link to the applicant's account,
    once per case (dedupe key). The link rates without logging in, once, until it expires."""
    opened = invitation_open(case_id=case_id)
    invitation = (
        Invitation.objects.select_related("case__applicant__user").get(pk=opened.pk) if opened is not None else None
    )
    recipient = invitation.case.applicant.user if invitation is not None else None
    if invitation is None or recipient is None:
        return None
    case = invitation.case
    path = reverse("evaluation:sms_rate", args=[sms_token(invitation.pk, invitation.sms_nonce)])
    link = settings.EVALUATION_LINK_BASE_URL.rstrip("/") + path
    days = settings.EVALUATION_SMS_LINK_DAYS

    def text(link: str) -> str:
        return (
            f"【政务服务】您的办件{case.number}已办结。欢迎对本次服务作出评价（自愿，不影响领取办理结果）："
            f"{link} 链接{days}天内有效，仅可使用一次。"
        )

    return notify_send(  # the row keeps the text without the link: whoever reads deliveries cannot rate
        recipient=recipient,
        subject="政务服务评价邀请",
        body=text(link),
        recorded_body=text("（评价链接仅发给申请人，不留存）"),
        topic=TOPIC,
        dedupe_key=f"evaluation.invitation:{case.pk}",
    )
