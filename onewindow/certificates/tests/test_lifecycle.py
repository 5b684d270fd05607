"""变更, 延续, 撤销 and the revoked approval on commitment; what verification says after each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from onewindow.audit.models import Event
from onewindow.cases.services import commitment
from onewindow.cases.services.intake import case_approve_on_commitment
from onewindow.cases.tests import factories as f
from onewindow.certificates.document.render import certificate_pdf
from onewindow.certificates.domain import Standing
from onewindow.certificates.models import Certificate
from onewindow.certificates.services import certificate_alter, certificate_renew, certificate_revoke
from onewindow.certificates.services.common import printable
from onewindow.certificates.tests.factories import certificate_type_for, issued_certificate
from onewindow.certificates.verification import certificate_status, verify_number, verify_pdf
from onewindow.errors import Conflict, InvalidFields, PermissionDenied

pytestmark = pytest.mark.django_db
BASIS = "《中华人民共和国行政许可法》第六十九条"


def pdf_of(certificate: Certificate) -> bytes:
    with certificate.pdf.open("rb") as handle:
        return handle.read()


def issuer(certificate: Certificate):
    return f.reviewer_for(certificate.department)


def test_altering_writes_a_sealed_new_version_and_the_old_one_shows_as_superseded():
    old = issued_certificate()
    new = certificate_alter(
        actor=issuer(old), certificate=old, changes={"project_name": "滨江科创园二期"}, reason="项目名称变更"
    )
    new.refresh_from_db()
    old.refresh_from_db()
    assert (new.version, new.status, new.previous_id) == (2, "valid", old.pk)
    assert new.number == f"{old.licence_number}-2" and new.data["project_name"] == "滨江科创园二期"
    assert old.status == "superseded"
    status = verify_number(old.number)
    assert status.standing == Standing.SUPERSEDED and status.current_number == new.number
    assert verify_number(new.number).is_valid
    # The old PDF is still genuine, but no longer valid.
    verdict = verify_pdf(pdf_of(old))
    assert verdict.genuine and not verdict.valid and "已变更" in verdict.reason
    stream = f"certificate:{old.licence_number}"
    assert Event.objects.filter(stream=stream, action="certificates.certificate_altered").count() == 1


def test_nothing_to_alter_is_refused_and_changes_nothing():
    old = issued_certificate()
    with pytest.raises(InvalidFields) as refused:
        certificate_alter(
            actor=issuer(old), certificate=old, changes={"project_name": old.data["project_name"]}, reason="无"
        )
    assert "changes" in refused.value.errors
    assert Certificate.objects.filter(licence_number=old.licence_number).count() == 1


def test_renewing_continues_the_period_from_the_day_after_the_old_one_ends():
    old = issued_certificate()
    new = certificate_renew(actor=issuer(old), certificate=old, reason="有效期届满前申请延续")
    new.refresh_from_db()
    assert old.valid_until is not None
    assert new.valid_from == old.valid_until + dt.timedelta(days=1)
    assert verify_number(old.number).standing == Standing.RENEWED
    with pytest.raises(Conflict):
        certificate_renew(actor=issuer(old), certificate=old, reason="再次延续旧版本")


def test_a_revoked_certificate_verifies_as_revoked_with_its_reason():
    certificate = issued_certificate()
    certificate_revoke(
        actor=issuer(certificate),
        certificate=certificate,
        kind="revoke",
        reason="以欺骗手段取得许可",
        legal_basis=BASIS,
    )
    status = verify_number(certificate.number)
    assert status.standing == Standing.REVOKED and not status.is_valid
    assert (status.revocation_kind, status.revocation_basis) == ("撤销", BASIS)
    verdict = verify_pdf(pdf_of(certificate))
    assert verdict.genuine and not verdict.valid and "已撤销" in verdict.reason


def test_only_the_issuing_department_may_revoke():
    certificate = issued_certificate()
    outsider = f.reviewer_for(f.department(f.region()))
    with pytest.raises(PermissionDenied):
        certificate_revoke(actor=outsider, certificate=certificate, kind="revoke", reason="x", legal_basis=BASIS)
    certificate.refresh_from_db()
    assert certificate.status == "valid"


def test_a_revocation_needs_its_kind_reason_and_legal_basis():
    certificate = issued_certificate()
    with pytest.raises(InvalidFields) as refused:
        certificate_revoke(actor=issuer(certificate), certificate=certificate, kind="", reason="", legal_basis="")
    assert set(refused.value.errors) == {"kind", "reason", "legal_basis"}


def test_a_revoked_approval_on_commitment_revokes_its_certificate():
    version = f.published_matter(commitment_allowed=True)
    certificate_type_for(version)
    letter = {"commitment_letter": f.pdf_file("告知承诺书.pdf")}
    case = f.submitted_case(matter_version=version, files=letter)
    case = case_approve_on_commitment(actor=f.clerk_for(case.region), case=case, commitment_text="本人承诺符合条件")
    certificate = Certificate.objects.get(case=case)
    assert certificate.status == "valid"
    check = case.tasks.get()
    commitment.task_find_false_commitment(
        actor=f.reviewer_for(check.department), task=check, finding="承诺的消防验收不存在", legal_basis=BASIS
    )
    certificate.refresh_from_db()
    assert certificate.status == "revoked" and certificate.revocation_basis == BASIS
    assert "虚假承诺" in certificate_status(certificate).revocation_reason


def test_the_sm2_signature_no_longer_verifies_once_the_stored_data_is_changed():
    certificate = issued_certificate()
    assert certificate_status(certificate).data_signature_ok
    Certificate.objects.filter(pk=certificate.pk).update(data={**certificate.data, "project_name": "伪造"})
    certificate.refresh_from_db()
    assert not certificate_status(certificate).data_signature_ok


# --- the command line --------------------------------------------------------------------------------


def test_the_cli_verifies_a_genuine_certificate_with_exit_code_0(tmp_path, capsys):
    certificate = issued_certificate()
    out = tmp_path / "c.pdf"
    call_command("certificates", "pdf", certificate.number, str(out))
    assert out.read_bytes() == pdf_of(certificate)
    call_command("certificates", "verify", str(out))
    assert "通过" in capsys.readouterr().out
    call_command("certificates", "list")
    assert certificate.number in capsys.readouterr().out


def _exit_code(*args: str) -> tuple[int, str]:
    with pytest.raises(CommandError) as failed:
        call_command("certificates", *args)
    return failed.value.returncode, str(failed.value)


def test_the_cli_exits_1_for_an_altered_a_foreign_or_a_revoked_certificate(tmp_path):
    certificate = issued_certificate()
    content = bytearray(pdf_of(certificate))
    content[len(content) // 2] ^= 0x01
    (tmp_path / "altered.pdf").write_bytes(bytes(content))
    code, reason = _exit_code("verify", str(tmp_path / "altered.pdf"))
    assert code == 1 and "改动" in reason
    (tmp_path / "unsealed.pdf").write_bytes(certificate_pdf(printable(certificate, certificate.decided_on)))
    code, reason = _exit_code("verify", str(tmp_path / "unsealed.pdf"))
    assert code == 1 and "没有电子印章" in reason
    (tmp_path / "junk.pdf").write_bytes(b"not a pdf")
    assert _exit_code("verify", str(tmp_path / "junk.pdf"))[0] == 1
    certificate_revoke(
        actor=issuer(certificate), certificate=certificate, kind="cancel", reason="申请注销", legal_basis="第七十条"
    )
    (tmp_path / "revoked.pdf").write_bytes(pdf_of(certificate))
    code, reason = _exit_code("verify", str(tmp_path / "revoked.pdf"))
    assert code == 1 and "已撤销" in reason
