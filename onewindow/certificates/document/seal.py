"""The e-seal as a PAdES signature (pyHanko), and its validation against the deployment's trust root.

The signature covers the whole file (PAdES baseline B-B, SHA-256, the seal's certificate and the root
embedded). A PDF reader that trusts the root shows it valid; any change after signing breaks it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from io import BytesIO
from typing import Any, TypeVar

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

FIELD_NAME = "ElectronicSeal"
T = TypeVar("T")


def _run(coroutine: Coroutine[Any, Any, T]) -> T:
    """pyHanko's work is asynchronous: run it here, or in a thread of its own when this thread already
    runs an event loop (an ASGI server, a test driving a browser), where asyncio.run would refuse."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def seal_pdf(pdf: bytes, signer: signers.Signer, *, name: str, location: str = "") -> bytes:
    """`pdf` with the seal's signature over all of it."""
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason="电子证照签章",
        name=name,
        location=location or None,
    )
    output = BytesIO()
    _run(signers.PdfSigner(meta, signer=signer).async_sign_pdf(writer, output=output))
    return output.getvalue()


@dataclass(frozen=True)
class SealCheck:
    ok: bool
    reason: str  # Chinese, for people; empty when ok
    signer_name: str = ""


def check_seal(pdf: bytes, roots: Sequence[asn1_x509.Certificate]) -> SealCheck:
    """Whether `pdf` carries an intact seal over the whole file that chains to one of `roots`."""
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError, TypeError, IndexError):
        return SealCheck(False, "文件不是可读取的 PDF")
    if not signatures:
        return SealCheck(False, "文件没有电子印章签名")
    context = ValidationContext(trust_roots=list(roots), allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = _run(async_validate_pdf_signature(signatures[-1], context))
    except (SignatureValidationError, PdfReadError, ValueError, KeyError, TypeError) as exc:
        return SealCheck(False, f"电子印章签名无法验证（{type(exc).__name__}）")
    signer = str(status.signing_cert.subject.native.get("common_name", "")) if status.signing_cert else ""
    if not status.intact or not status.valid:
        return SealCheck(False, "签名后文件内容已被改动，电子印章签名无效", signer)
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return SealCheck(False, "签名后文件被追加了内容", signer)
    if not status.trusted:
        return SealCheck(False, "电子印章证书不是本平台签发的", signer)
    return SealCheck(True, "", signer)
