"""The SM2 signer (GB/T 32918) behind the audit Signer protocol."""

from __future__ import annotations

from onewindow.audit import signing
from onewindow.audit.sm2 import Sm2Signer, public_key_from_pem, register_sm2_verifier, sm2_key_load_or_create


def test_an_sm2_signature_verifies_through_the_audit_verifiers_and_fails_on_other_data(tmp_path):
    register_sm2_verifier()
    signer = sm2_key_load_or_create(tmp_path / "sm2.key")
    signer_again = sm2_key_load_or_create(tmp_path / "sm2.key")
    assert signer_again.public_key_pem() == signer.public_key_pem()  # made once, then read
    assert (tmp_path / "sm2.key").stat().st_mode & 0o777 == 0o600
    signature = signing.encode_signature(signer.sign(b"checkpoint root"))
    assert signing.verify_signature("sm2", signer.public_key_pem(), b"checkpoint root", signature)
    assert not signing.verify_signature("sm2", signer.public_key_pem(), b"checkpoint rooT", signature)
    assert not signing.verify_signature("sm2", "not a key", b"checkpoint root", signature)


def test_the_public_key_round_trips_through_its_pem_form(tmp_path):
    signer: Sm2Signer = sm2_key_load_or_create(tmp_path / "k")
    assert public_key_from_pem(signer.public_key_pem()) == signer.public_key
    assert signer.public_key_pem().startswith("-----BEGIN PUBLIC KEY-----\n")
