"""The certificates (统一发证) of the history's most recent approvals, through the certificates' own services.

What the certificates' ending listener does for an approved case — `certificates_issue_for_case` (a pending
certificate per approved matter and active type, its `certificate_created` event, the seal job enqueued) — and
what the job then does — `certificate_seal` (render, PAdES seal, SM2, store, VALID, `certificate_issued`) —
both told at the decision's time (the certificate issued the day of the decision). Each takes about 0.3 s of
rendering and sealing (docs/benchmarks.md), so a year's approvals (about 3,400 certificates in the default
20,000 cases) would take some 17 minutes: only the cases decided in the last `days` days (7 by default,
about 80 certificates) get theirs. The older approvals have none.
"""

from __future__ import annotations

import datetime as dt

from onewindow import clock
from onewindow.cases.models import Case, TimelineEntry
from onewindow.certificates.domain import CertificateStatus
from onewindow.certificates.models import Certificate
from onewindow.certificates.services import certificate_seal, certificates_issue_for_case
from onewindow.orgs.models import User

CERTIFICATE_DAYS = 7
SEALED_AFTER = dt.timedelta(minutes=5)  # the job runs once the decision has committed


def certificates_issue_recent(*, after_case_id: int, now: dt.datetime, days: int = CERTIFICATE_DAYS) -> int:
    """The certificates of the history's cases (ids above `after_case_id`) completed in the last `days` days
    before `now`, issued and sealed; returns how many were written."""
    if days <= 0:
        return 0
    cases = list(
        Case.objects.filter(pk__gt=after_case_id, status="completed", completed_at__gte=now - dt.timedelta(days=days))
        .select_related("applicant", "region")
        .order_by("completed_at", "pk")
    )
    deciders = dict(
        TimelineEntry.objects.filter(case__in=cases, action="case_decide").values_list("case_id", "actor_id")
    )
    actors = User.objects.in_bulk(set(deciders.values()) - {None})
    written = 0
    for case in cases:
        assert case.completed_at is not None
        actor = actors.get(deciders.get(case.pk) or 0)
        with clock.told_at(case.completed_at):
            issued = certificates_issue_for_case(case=case, actor=actor)
        for certificate in issued:
            if Certificate.objects.filter(pk=certificate.pk, status=CertificateStatus.PENDING).exists():
                with clock.told_at(min(case.completed_at + SEALED_AFTER, now)):
                    certificate_seal(certificate_id=certificate.pk)
        written += len(issued)
    return written
