"""One way to tell a person something: `notify_send`, by SMS or e-mail, recorded as a Delivery.

Call it after the business transaction has committed (from a job, or a view after its service):
a message cannot be taken back when a transaction rolls back. A failure is recorded, never raised:
the sender's work is done either way and the delivery list shows what did not arrive.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction

from onewindow.notify.backends import SmsFailed, sms_backend
from onewindow.notify.models import Channel, Delivery
from onewindow.orgs.models import User

Attachment = tuple[str, bytes, str]  # file name, content, MIME type


def notify_send(
    *,
    recipient: User,
    subject: str,
    body: str,
    topic: str,
    channel: Channel = Channel.SMS,
    dedupe_key: str = "",
    attachments: Sequence[Attachment] = (),
    recorded_body: str | None = None,
) -> Delivery:
    """Send and record; with a dedupe_key, a second call returns the first delivery unsent.

    `recorded_body` is what the delivery row keeps when the message carries a secret the recipient alone
    may use (a single-use link): whoever reads the deliveries (staff, a database administrator) must not
    be able to use it."""
    if dedupe_key:
        earlier = Delivery.objects.filter(channel=channel, dedupe_key=dedupe_key).first()
        if earlier is not None:
            return earlier
    address, provider_id, error = _deliver(recipient, channel, subject, body, attachments)
    delivery = Delivery(
        recipient=recipient,
        channel=channel,
        topic=topic,
        dedupe_key=dedupe_key,
        subject=subject,
        body=body if recorded_body is None else recorded_body,
        attachment_names=[name for name, _content, _mime in attachments],
        address=address,
        status=Delivery.Status.FAILED if error else Delivery.Status.SENT,
        provider_id=provider_id,
        error=error,
    )
    try:
        with transaction.atomic():
            delivery.save()
    except IntegrityError:  # a concurrent sender with the same key recorded it first
        return Delivery.objects.get(channel=channel, dedupe_key=dedupe_key)
    return delivery


def _deliver(
    recipient: User, channel: Channel, subject: str, body: str, attachments: Sequence[Attachment]
) -> tuple[str, str, str]:
    """(address, provider message id, error) of one attempt."""
    if channel == Channel.SMS:
        if not recipient.phone:
            return "", "", "接收人未登记手机号"
        try:
            return recipient.phone, sms_backend().send(recipient.phone, body), ""
        except SmsFailed as failure:
            return recipient.phone, "", str(failure)[:300] or "短信发送失败"
    if not recipient.email:
        return "", "", "接收人未登记电子邮箱"
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])
    for name, content, mime in attachments:
        message.attach(name, content, mime)
    try:
        message.send()
    except OSError as failure:  # smtplib errors are OSErrors
        return recipient.email, "", str(failure)[:300] or "邮件发送失败"
    return recipient.email, "", ""
