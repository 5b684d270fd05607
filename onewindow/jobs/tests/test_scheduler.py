import io

import pytest
from django.core.management import call_command

from onewindow.audit.models import Checkpoint
from onewindow.jobs.models import RunStatus, ScheduledRun
from onewindow.jobs.schedules import collect_schedules


def test_collects_the_audit_checkpoint_schedule_at_its_configured_interval(settings):
    settings.AUDIT_CHECKPOINT_INTERVAL_SECONDS = 60
    schedules = {schedule.name: schedule for schedule in collect_schedules()}
    assert schedules["audit.checkpoint"].cron == "* * * * *"


@pytest.mark.django_db
def test_scheduler_once_writes_a_signed_checkpoint_after_activity():
    from django.db import transaction

    from onewindow.audit.services import audit_record

    with transaction.atomic():
        audit_record(
            stream="matter:1", action="catalogue.matter_published", target_type="catalogue.matter", target_id=1
        )
    out = io.StringIO()

    call_command("scheduler", "--once", stdout=out)

    assert Checkpoint.objects.count() == 1
    assert "audit.checkpoint" in out.getvalue()
    assert ScheduledRun.objects.get(schedule="audit.checkpoint").status == RunStatus.SUCCEEDED
