"""Setting a region's dispatch cycle (the key-project office of the region or above)."""

from __future__ import annotations

from django.db import transaction

from onewindow.audit.services import audit_record
from onewindow.dispatch.domain import CycleKind, check_cycle
from onewindow.dispatch.models import DispatchCycle
from onewindow.dispatch.selectors.cycles import cycle_regions_for
from onewindow.errors import InvalidFields, NotFound
from onewindow.orgs.models import Organisation, User


def _stream(region: Organisation) -> str:
    return f"dispatch-cycle:{region.pk}"


def _require_office_over(actor: User, region: Organisation) -> None:
    """A region outside the actor's office subtree is "not found", like a missing one."""
    if not cycle_regions_for(actor).filter(pk=region.pk).exists():
        raise NotFound("未找到该行政区划", code="region_not_found")


@transaction.atomic
def cycle_save(
    *, actor: User, region: Organisation, kind: str, cutoff_day: int, remind_days_before: int
) -> DispatchCycle:
    """Set (or change) the region's own cycle. A ten-day cycle ignores the cut-off day."""
    _require_office_over(actor, region)
    errors = check_cycle(kind, cutoff_day, remind_days_before)
    if errors:
        raise InvalidFields("调度周期设置有误", errors=errors, code="cycle_invalid")
    row = DispatchCycle.objects.select_for_update().filter(region=region).first()
    before = None if row is None else {"kind": row.kind, "cutoff_day": row.cutoff_day, "remind": row.remind_days_before}
    if row is None:
        row = DispatchCycle(region=region)
    row.kind = CycleKind(kind)
    row.cutoff_day = cutoff_day
    row.remind_days_before = remind_days_before
    row.save()
    audit_record(
        stream=_stream(region),
        action="dispatch.cycle_save",
        target_type="dispatch.DispatchCycle",
        target_id=row.pk,
        actor=actor,
        organisation=region,
        changes={
            "before": before,
            "after": {"kind": row.kind, "cutoff_day": cutoff_day, "remind": remind_days_before},
        },
    )
    return row


@transaction.atomic
def cycle_clear(*, actor: User, region: Organisation) -> None:
    """Remove the region's own cycle: its nearest ancestor's (or the default) applies again."""
    _require_office_over(actor, region)
    row = DispatchCycle.objects.select_for_update().filter(region=region).first()
    if row is None:
        return
    pk = row.pk
    row.delete()
    audit_record(
        stream=_stream(region),
        action="dispatch.cycle_clear",
        target_type="dispatch.DispatchCycle",
        target_id=pk,
        actor=actor,
        organisation=region,
    )
