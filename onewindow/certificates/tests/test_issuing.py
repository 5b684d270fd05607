"""Issuing with the decision, sealing, the Art. 44 clock, and the document itself."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from io import BytesIO

import pytest
import time_machine
from django.utils import timezone

from onewindow.audit.models import Event
from onewindow.cases.models import CaseMatter
from onewindow.cases.services import review
from onewindow.cases.tests.factories import accepted_case, published_bundle, published_matter, reviewer_for
from onewindow.certificates.document import keys
from onewindow.certificates.document.seal import check_seal
from onewindow.certificates.models import Certificate
from onewindow.certificates.services import certificate_warning_levels_refresh
from onewindow.certificates.tests.factories import approved_case, certificate_type_for, issued_certificate
from onewindow.certificates.verification import data_signature_ok

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def pdf_bytes(certificate: Certificate) -> bytes:
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def test_an_approved_matter_issues_its_sealed_certificate_with_the_decision():
    certificate = issued_certificate()
    assert certificate.status == "valid"
    assert certificate.version == 1 and certificate.number == f"{certificate.licence_number}-1"
    assert certificate.licence_number.startswith("JG" + certificate.region.code)
    assert certificate.data["project_name"] == "滨江科创园一期"
    assert certificate.holder_name == certificate.case.applicant.name
    assert certificate.decided_on == timezone.localdate(certificate.case.completed_at)
    assert certificate.valid_until is not None
    assert certificate.pdf_sha256 and certificate.pdf_size == len(pdf_bytes(certificate))
    assert data_signature_ok(certificate)
    actions = list(
        Event.objects.filter(stream=f"certificate:{certificate.licence_number}").values_list("action", flat=True)
    )
    assert actions == ["certificates.certificate_created", "certificates.certificate_issued"]


def test_a_rejected_matter_issues_nothing():
    matter_version = published_matter()
    certificate_type_for(matter_version)
    case = accepted_case(matter_version=matter_version)
    task = case.tasks.get()
    review.task_reject(actor=reviewer_for(task.department), task=task, reason="不符合条件")
    assert case.matters.get().result == CaseMatter.Result.REJECTED
    assert not Certificate.objects.filter(case=case).exists()


def test_a_matter_without_a_certificate_type_issues_nothing():
    case = approved_case(with_type=False)
    assert case.status == "completed"
    assert not Certificate.objects.filter(case=case).exists()


def test_the_sealed_pdf_validates_and_fails_after_one_byte_changes():
    certificate = issued_certificate()
    content = pdf_bytes(certificate)
    assert check_seal(content, keys.trust_roots()).ok
    altered = bytearray(content)
    middle = len(altered) // 3
    altered[middle] = (altered[middle] + 1) % 256
    verdict = check_seal(bytes(altered), keys.trust_roots())
    assert not verdict.ok


def test_the_pdf_validates_with_pyhankos_own_validator():
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    certificate = issued_certificate()
    [signature] = PdfFileReader(BytesIO(pdf_bytes(certificate))).embedded_signatures
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[keys.trust_root()]))
    assert status.bottom_line and status.intact and status.trusted


def test_the_qr_code_in_the_pdf_decodes_to_the_verification_url(tmp_path):
    certificate = issued_certificate()
    (tmp_path / "c.pdf").write_bytes(pdf_bytes(certificate))
    pdftoppm, zbarimg = shutil.which("pdftoppm"), shutil.which("zbarimg")  # Debian poppler-utils, zbar-tools
    assert pdftoppm and zbarimg, "make setup installs poppler-utils and zbar-tools"
    subprocess.run([pdftoppm, "-r", "100", "-png", "-f", "1", "-l", "1", "c.pdf", "page"], cwd=tmp_path, check=True)  # noqa: S603
    [png] = list(tmp_path.glob("page*.png"))
    decoded = subprocess.run([zbarimg, "-q", "--raw", str(png)], capture_output=True, text=True, check=True)  # noqa: S603
    assert decoded.stdout.strip() == f"http://localhost:8000/verify/{certificate.number}/"


def test_a_bundle_issues_each_approved_matters_certificate():
    bundle_version = published_bundle()
    matters = [sm.matter_version for stage in bundle_version.stages.all() for sm in stage.stage_matters.all()]
    for i, matter_version in enumerate(matters):
        certificate_type_for(matter_version, code=f"B{i}{matter_version.pk}", name=f"许可证{i}")
    case = accepted_case(bundle_version=bundle_version)
    for stage in (1, 2):
        for task in case.tasks.filter(stage=stage).order_by("pk"):
            review.task_approve(actor=reviewer_for(task.department), task=task, opinion="同意")
    case.refresh_from_db()
    lead = bundle_version.stages.order_by("-position").first().lead_department
    results = {m.pk: "approved" for m in case.matters.all()}
    review.case_decide(actor=_head(lead), case=case, results=results, note="准予")
    issued = Certificate.objects.filter(case=case)
    assert issued.count() == 4
    assert set(issued.values_list("status", flat=True)) == {"valid"}
    assert len(set(issued.values_list("department", flat=True))) == 4  # each matter's own department


def _head(department):
    from onewindow.cases.tests.factories import head_for

    return head_for(department)


@time_machine.travel(dt.datetime(2026, 9, 28, 10, tzinfo=SHANGHAI), tick=False)
def test_the_issuing_clock_runs_ten_working_days_across_national_day():
    matter_version = published_matter()
    certificate_type_for(matter_version)
    from onewindow.certificates import services

    certificate = None
    original = services.issuing.certificate_seal_task
    services.issuing.certificate_seal_task = lambda: _NoTask()  # keep it pending: the clock is what is tested
    try:
        case = approved_case(with_type=False, matter_version=matter_version)
        certificate = Certificate.objects.get(case=case)
    finally:
        services.issuing.certificate_seal_task = original
    # Decided Monday 28 September 2026: 29, 30 September count, 1–7 October are the holiday, 8, 9 and
    # Saturday 10 October (a make-up workday, 调休) count, then 12–16 October: the tenth is Friday 16th.
    assert certificate.decided_on == dt.date(2026, 9, 28)
    assert certificate.due_on == dt.date(2026, 10, 16)
    assert certificate.status == "pending" and certificate.warning_level == "normal"
    with time_machine.travel(dt.datetime(2026, 10, 14, 10, tzinfo=SHANGHAI), tick=False):
        certificate_warning_levels_refresh()
    certificate.refresh_from_db()
    assert certificate.warning_level == "yellow"
    with time_machine.travel(dt.datetime(2026, 10, 19, 10, tzinfo=SHANGHAI), tick=False):
        certificate_warning_levels_refresh()
    certificate.refresh_from_db()
    assert certificate.warning_level == "red"


class _NoTask:
    def enqueue(self, *args, **kwargs):
        return None

    def get_backend(self):
        from django_tasks import default_task_backend

        return default_task_backend
