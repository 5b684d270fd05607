"""Background work of 好差评: the SMS rating link after a case ends, and the periodic escalation of
overdue follow-ups (onewindow/jobs)."""

from __future__ import annotations

from django_tasks import task

from onewindow.jobs.schedules import Schedule


@task()
def rating_link_send(case_id: int) -> None:
    """The ended case's invitation and its SMS link (enqueued when the ending commits)."""
    from onewindow.evaluation.services import rating_link_send as send

    send(case_id=case_id)


def _escalate() -> str:
    from onewindow.evaluation.services import follow_ups_escalate_overdue

    return follow_ups_escalate_overdue()


def schedules() -> list[Schedule]:
    """One line per schedule (cron, Asia/Shanghai time)."""
    return [Schedule("evaluation.follow_ups_escalate_overdue", "5 * * * *", _escalate)]  # 差评逾期督办, hourly
