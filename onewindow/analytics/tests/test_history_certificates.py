"""The certificates of the history's recent approvals: issued and sealed by the certificates' services on the day
of the decision, only for the cases decided in the last days asked for, and verified like any other."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from onewindow.analytics.history.write import history_write
from onewindow.cases.models import Case, CaseMatter
from onewindow.cases.tests.factories import (
    clerk_for,
    department,
    head_for,
    published_matter,
    region,
    reviewer_for,
)
from onewindow.certificates.models import Certificate
from onewindow.certificates.tests.factories import certificate_type_for

pytestmark = pytest.mark.django_db
DAYS = 45


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def test_the_recent_approvals_get_their_sealed_certificates_and_the_older_none(client: Client) -> None:
    home = region()
    licensed, other = (published_matter(department=department(home), promised_limit_days=2) for _ in range(2))
    certificate_type_for(licensed)
    for version in (licensed, other):
        reviewer_for(version.matter.department)
        head_for(version.matter.department)
    clerk_for(home)

    summary = history_write(160, seed=2, certificate_days=DAYS)

    since = timezone.now() - dt.timedelta(days=DAYS)
    approved = CaseMatter.objects.filter(matter_version=licensed, result="approved", case__completed_at__gte=since)
    certificates = Certificate.objects.select_related("case")
    assert summary.certificates == certificates.count() == approved.count() > 0
    assert {c.case_id for c in certificates} == set(approved.values_list("case_id", flat=True))
    for certificate in certificates:
        decided_on = timezone.localdate(certificate.case.completed_at)
        assert (certificate.status, certificate.decided_on, certificate.issued_on) == ("valid", decided_on, decided_on)
        assert certificate.pdf and certificate.pdf_sha256 and certificate.data_signature
    assert Case.objects.filter(status="completed", completed_at__lt=since).exists()
    mine = certificates.select_related("case__applicant__user").first()
    assert mine is not None
    client.force_login(mine.case.applicant.user)
    assert mine.number in client.get("/certificates/mine/").content.decode()
    assert client.get(f"/verify/{mine.number}/").status_code == 200
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "未发现断链" in out.getvalue()


def test_no_certificate_is_written_when_none_is_asked_for() -> None:
    home = region()
    licensed = published_matter(department=department(home), promised_limit_days=1)
    certificate_type_for(licensed)
    reviewer_for(licensed.matter.department)
    clerk_for(home)
    assert history_write(40, seed=2, certificate_days=0).certificates == 0
    assert not Certificate.objects.exists()
