"""会签 that people reach: the department head names a reviewer of the department who must sign the
task too (加签).

How many sign-offs a task needs comes from the matter version (`required_signoffs`, copied to the task
when its stage opens); each 加签 adds one, naming who gives it. The task is decided in
`review.decisions._sign`: any disagreement rejects it, and it is approved once enough reviewers agreed with
every named signer among them (`domain.countersign_outcome`).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from onewindow import clock
from onewindow.cases.models import Signoff, Task, TaskSigner
from onewindow.cases.services.locking import task_lock
from onewindow.cases.services.review.checks import REVIEW_ROLES, require_head, require_open
from onewindow.cases.services.transitions import case_record
from onewindow.errors import Conflict, InvalidFields
from onewindow.orgs.models import User
from onewindow.orgs.selectors import holds_role_over


def _check_signer(task: Task, signer: User) -> None:
    if not (signer.is_active and holds_role_over(signer, task.department, REVIEW_ROLES)):
        message = _("只能加签本部门的审核人员")
        raise InvalidFields(message, errors={"signer": message}, code="signer_not_reviewer")
    if TaskSigner.objects.filter(task=task, signer=signer).exists():
        raise Conflict(_("%(name)s已在加签名单中") % {"name": signer}, code="signer_already_added")
    if Signoff.objects.filter(task=task, reviewer=signer).exists():
        raise Conflict(_("%(name)s已签署意见，无需加签") % {"name": signer}, code="signer_already_signed")


@transaction.atomic
def task_add_signer(*, actor: User, task: Task, signer: User) -> Task:
    """加签: the department head names `signer`; the task now needs one sign-off more, theirs among them."""
    locked = task_lock(task.pk, actor=actor)
    task = locked.locked_task
    require_head(actor, task)
    require_open(task)
    if task.is_check:
        raise Conflict(_("承诺核查任务不会签，不能加签"), code="task_is_check")
    _check_signer(task, signer)
    task.required_signoffs += 1
    task.save(update_fields=["required_signoffs"])
    TaskSigner.objects.create(task=task, signer=signer, added_by=actor, added_at=clock.now())
    case_record(
        locked=locked,
        action="task_add_signer",
        actor=actor,
        organisation=task.department,
        from_status=task.status,
        task=task,
        note=_("加签：%(name)s须签署意见，本任务会签 %(n)s 人") % {"name": signer, "n": task.required_signoffs},
        is_public=False,
        changes={"signer_id": signer.pk, "required": task.required_signoffs},
    )
    return task
