"""The reason tags offered for the lower levels, kept by the system admin (the admin's 评价原因)."""

from __future__ import annotations

from django.db import transaction

from onewindow.evaluation.models import ReasonTag
from onewindow.evaluation.services.common import record
from onewindow.orgs.models import User

TAG_TARGET = "evaluation.reasontag"


@transaction.atomic
def reason_tag_save(*, actor: User | None, tag: ReasonTag) -> ReasonTag:
    """Add or change a tag (a tag in use is retired with `is_active`, never deleted: ratings name it)."""
    created = tag.pk is None
    tag.save()
    record(
        stream=f"evaluation_reason_tag:{tag.pk}",
        action="evaluation.reason_tag_added" if created else "evaluation.reason_tag_changed",
        target_type=TAG_TARGET,
        target_id=tag.pk,
        actor=actor,
        organisation=None,
        changes={"code": tag.code, "label": tag.label, "order": tag.order, "is_active": tag.is_active},
    )
    return tag
