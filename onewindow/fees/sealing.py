"""The e-seal of a bill line (电子签章): the collecting department's seal key (the certificates' seal,
`certificates.document.keys.seal_signer`) signs the line's canonical data with ECDSA P-256 / SHA-256.

The line keeps the signature (base64) and the signing certificate (PEM): anyone holding the line can
check that its amounts are those the department sealed. A line changed after sealing (by hand, in the
database) no longer verifies.
"""

from __future__ import annotations

import base64
import json
from decimal import Decimal

from asn1crypto import keys as asn1_keys
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from onewindow.certificates.document.keys import seal_signer, trust_roots
from onewindow.fees.models import BillLine

PAYLOAD_VERSION = "onewindow.fees.line.v1"


def _amount(value: Decimal | int | float | str) -> str:
    return str(Decimal(value).quantize(Decimal("0.01")))


def line_payload(line: BillLine) -> bytes:
    """The line's canonical data: what the seal signs (sorted JSON, UTF-8, amounts to the fen)."""
    data = {
        "v": PAYLOAD_VERSION,
        "bill": line.bill.number,
        "item": line.item_code,
        "account_name": line.account_name,
        "account_number": line.account_number,
        "computed": _amount(line.computed_amount),
        "due": _amount(line.due_amount),
        "subsidised": _amount(line.subsidised_amount),
        "policy": line.policy_document_number,
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def line_seal(line: BillLine) -> None:
    """Sign the line with its department's seal: sets `seal_signature` and `seal_certificate` (not saved)."""
    department = line.fee_check.department
    signer = seal_signer(department.code, department.display_name)
    key_info = signer.signing_key  # type: ignore[attr-defined]
    assert isinstance(key_info, asn1_keys.PrivateKeyInfo)
    key = serialization.load_der_private_key(key_info.dump(), None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):  # pragma: no cover - the seals are P-256
        raise TypeError("the department's seal is not an EC key")
    signature = key.sign(line_payload(line), ec.ECDSA(hashes.SHA256()))
    certificate = x509.load_der_x509_certificate(signer.signing_cert.dump())  # type: ignore[union-attr]
    line.seal_signature = base64.b64encode(signature).decode("ascii")
    line.seal_certificate = certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")


def line_seal_valid(line: BillLine) -> bool:
    """The line carries a seal and the seal verifies over the line's current data."""
    if not (line.seal_signature and line.seal_certificate):
        return False
    try:
        certificate = x509.load_pem_x509_certificate(line.seal_certificate.encode("ascii"))
        if not _issued_by_trusted_root(certificate):
            return False
        public_key = certificate.public_key()
        if not isinstance(public_key, ec.EllipticCurvePublicKey):
            return False
        public_key.verify(base64.b64decode(line.seal_signature), line_payload(line), ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def _issued_by_trusted_root(certificate: x509.Certificate) -> bool:
    """The seal's certificate was issued by one of the seals' roots (a self-made certificate is no seal)."""
    for root in trust_roots():
        issuer = x509.load_der_x509_certificate(root.dump())
        try:
            certificate.verify_directly_issued_by(issuer)
        except (InvalidSignature, ValueError, TypeError):
            continue
        return True
    return False
