"""The green channel (绿色通道) of the history: which products may run on it, who marks it, and the step itself.

- `green_world(products)`: the industrial-project bundle (`990100-YJS-001`) and its single matters (the
  investment-project approvals the report reads) are eligible; the key-project office's first member marks
  the cases, with the first agent (代办员) as their agent. Without an office member nothing is eligible.
- `GreenSteps.green_channel`: `case_mark_green_channel` (`cases/services/green_channel.py`) restated: the flag
  and the agent, the tasks' copy of the flag, the internal timeline row and `cases.case_green_channel`. The
  tasks opened afterwards run on the shorter limit (`stages.task_limit_days`, in `steps._stage_open`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from onewindow.analytics.history.plan import Step
from onewindow.analytics.history.steps import CaseRecord
from onewindow.analytics.history.world import Product
from onewindow.analytics.report.selectors import INDUSTRIAL_BUNDLE
from onewindow.catalogue.models import BundleVersion, VersionStatus
from onewindow.orgs.domain import Role
from onewindow.orgs.models import Membership, User

NOTE = "重点项目审批办件，进入绿色通道"


@dataclass(frozen=True)
class GreenWorld:
    eligible: frozenset[int]  # indices into the products
    office: User | None
    agent: User | None


def _first(role: str) -> User | None:
    membership = Membership.objects.filter(role=role, user__is_active=True).select_related("user").order_by("pk")
    found = membership.first()
    return found.user if found is not None else None


def green_world(products: Sequence[Product]) -> GreenWorld:
    office = _first(Role.PROJECT_OFFICE)
    bundle = BundleVersion.objects.filter(bundle__code=INDUSTRIAL_BUNDLE, status=VersionStatus.PUBLISHED).first()
    if office is None or bundle is None:
        return GreenWorld(frozenset(), None, None)
    matters = set(bundle.stages.values_list("stage_matters__matter_id", flat=True))
    eligible = frozenset(
        index
        for index, product in enumerate(products)
        if (product.matter_version is not None and product.matter_version.matter_id in matters)
        or (product.bundle_version is not None and product.bundle_version.bundle_id == bundle.bundle_id)
    )
    return GreenWorld(eligible, office, _first(Role.AGENT))


class GreenSteps(CaseRecord):
    def green_channel(self, step: Step, office: User | None, agent: User | None) -> None:
        """case_mark_green_channel: the flag and the agent, the tasks' copy, an internal record."""
        case = self.case
        if office is None or case.is_green_channel:
            return
        agent_id = agent.pk if agent is not None else case.agent_id
        changes = {"is_green_channel": [case.is_green_channel, True], "agent_id": [case.agent_id, agent_id]}
        case.is_green_channel, case.agent = True, agent if agent is not None else case.agent
        for task in self.tasks.values():
            task.is_green_channel = True
        self._record(step.at, "case_green_channel", office, None, case.status, NOTE, is_public=False, changes=changes)
