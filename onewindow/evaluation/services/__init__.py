"""Every write of 好差评, one use case per function, one transaction each, the audit event inside.

The 先评价后取证 interface (the certificates side): `rating_skip(*, case, user, channel, context)`."""

from onewindow.evaluation.services.common import (
    AUDIT_LABELS,
    FOLLOW_UP_TARGET,
    INVITATION_TARGET,
    RATING_TARGET,
    WINDOW_SERVICE_TARGET,
    told_at,
)
from onewindow.evaluation.services.disputes import dispute_decide, dispute_request
from onewindow.evaluation.services.follow_ups import (
    follow_up_answer,
    follow_up_settle,
    follow_up_verify,
    follow_ups_escalate_overdue,
)
from onewindow.evaluation.services.links import LinkExpired, kiosk_token, sms_token
from onewindow.evaluation.services.ratings import (
    Given,
    case_rate,
    invitation_open,
    invite_on_case_end,
    kiosk_service,
    rating_skip,
    sms_link_case,
    sms_link_rate,
    window_rate,
    window_service_start,
)
from onewindow.evaluation.services.sending import rating_link_send
from onewindow.evaluation.services.tags import TAG_TARGET, reason_tag_save

__all__ = [
    "AUDIT_LABELS",
    "FOLLOW_UP_TARGET",
    "INVITATION_TARGET",
    "RATING_TARGET",
    "TAG_TARGET",
    "WINDOW_SERVICE_TARGET",
    "Given",
    "LinkExpired",
    "case_rate",
    "dispute_decide",
    "dispute_request",
    "follow_up_answer",
    "follow_up_settle",
    "follow_up_verify",
    "follow_ups_escalate_overdue",
    "invitation_open",
    "invite_on_case_end",
    "kiosk_service",
    "kiosk_token",
    "rating_link_send",
    "rating_skip",
    "reason_tag_save",
    "sms_link_case",
    "sms_link_rate",
    "sms_token",
    "told_at",
    "window_rate",
    "window_service_start",
]
