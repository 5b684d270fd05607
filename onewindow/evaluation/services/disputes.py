"""申诉: staff of the department concerned ask to leave a rating out of the statistics (恶意差评, not
their service), with evidence (an upload checked by onewindow.uploads); a supervisor decides. The rating
is never edited or deleted: an upheld dispute is what the statistics leave out."""

from __future__ import annotations

from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from onewindow.errors import Conflict, InvalidFields, PermissionDenied
from onewindow.evaluation import selectors
from onewindow.evaluation.models import Dispute, Rating
from onewindow.evaluation.services.common import RATING_TARGET, now, rating_stream, record
from onewindow.orgs.models import User
from onewindow.uploads import document_problem, upload_sha256

MAX_TEXT = 2000


def _event(dispute: Dispute, action: str, actor: User, changes: dict[str, object]) -> None:
    record(
        stream=rating_stream(dispute.rating_id),
        action=f"evaluation.{action}",
        target_type=RATING_TARGET,
        target_id=dispute.rating_id,
        actor=actor,
        organisation=dispute.rating.department,
        changes={"dispute_id": dispute.pk, **changes},
    )


def _errors(reason: str, explanation: str, evidence: UploadedFile | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if reason not in Dispute.Reason.values:
        errors["reason"] = "请选择申诉理由"
    if not explanation.strip():
        errors["explanation"] = "请说明申诉的理由"
    elif len(explanation) > MAX_TEXT:
        errors["explanation"] = f"说明不超过 {MAX_TEXT} 字"
    if evidence is None:
        errors["evidence"] = "请上传证明材料"
    elif problem := document_problem("证明材料", evidence):
        errors["evidence"] = problem
    return errors


@transaction.atomic
def dispute_request(
    *, actor: User, rating: Rating, reason: str, explanation: str, evidence: UploadedFile | None
) -> Dispute:
    """The department concerned asks to exclude the rating; one open request at a time."""
    rating = selectors.rating_get_for_staff(user=actor, rating_id=rating.pk)
    follow_up = getattr(rating, "follow_up", None)
    if not (follow_up and selectors.may_act_on(actor, follow_up)) and not selectors.is_supervisor(actor):
        raise PermissionDenied("只有责任单位可以申诉评价", code="not_the_department")
    errors = _errors(reason, explanation, evidence)
    if errors:
        raise InvalidFields(f"申诉有 {len(errors)} 处需要修改", errors=errors, code="dispute_invalid")
    if selectors.is_excluded(rating) or selectors.has_open_dispute(rating):
        raise Conflict("该评价已有申诉在审核或已不计入统计", code="dispute_exists")
    assert evidence is not None
    dispute = Dispute(
        rating=rating,
        reason=reason,
        explanation=explanation.strip(),
        evidence_sha256=upload_sha256(evidence),
        requested_by=actor,
        requested_at=now().at,
    )
    dispute.evidence.save(PurePath(evidence.name or "evidence").name, evidence, save=False)
    try:
        with transaction.atomic():
            dispute.save()
    except IntegrityError:
        raise Conflict("该评价已有申诉在审核", code="dispute_exists") from None
    _event(dispute, "dispute_requested", actor, {"reason": reason, "evidence_sha256": dispute.evidence_sha256})
    return dispute


@transaction.atomic
def dispute_decide(*, actor: User, dispute: Dispute, uphold: bool, note: str) -> Dispute:
    """A supervisor of the rating's region decides: upheld, the rating leaves the statistics."""
    dispute = selectors.dispute_get_for_supervisor(user=actor, dispute_id=dispute.pk)
    dispute = Dispute.objects.select_for_update().select_related("rating__department").get(pk=dispute.pk)
    if dispute.decision != Dispute.Decision.PENDING:
        raise Conflict("该申诉已审核", code="dispute_decided")
    if not note.strip():
        raise InvalidFields("请填写审核意见", errors={"note": "请填写审核意见"}, code="dispute_invalid")
    dispute.decision = Dispute.Decision.UPHELD if uphold else Dispute.Decision.REJECTED
    dispute.decided_by, dispute.decided_at, dispute.decision_note = actor, now().at, note.strip()[:MAX_TEXT]
    dispute.save(update_fields=["decision", "decided_by", "decided_at", "decision_note"])
    _event(dispute, "dispute_decided", actor, {"decision": dispute.decision})
    return dispute
