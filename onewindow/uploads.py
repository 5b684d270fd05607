"""Uploaded files, checked one way everywhere: the type by the file's leading bytes (its name and the
browser's word are not trusted), its size, and the SHA-256 kept with it.

    document_problem(name, upload)   a document (case materials, supplements, rectifications,
                                     authorisation letters: cases, agency): PDF, JPG, PNG or OFD
                                     whose content matches its extension, 20 MB at most
    upload_read(upload, max_bytes=)  the leading bytes, size and SHA-256 in one pass (photos,
                                     dispatch: the type judged by `sniff` alone)
    upload_sha256(upload)            the digest recorded with a stored file

No Django here (the domain modules use it too): an upload is anything with `name`, `size`,
`seek()` and `chunks()`, as Django's UploadedFile. Workbooks are read through `onewindow.xlsx`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Protocol


class Upload(Protocol):
    @property
    def name(self) -> str | None: ...
    @property
    def size(self) -> int | None: ...
    def seek(self, offset: int, /) -> object: ...
    def chunks(self) -> Iterator[bytes]: ...


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    signature: bytes  # the bytes such a file starts with


PDF = FileType("pdf", "application/pdf", b"%PDF-")
JPEG = FileType("jpg", "image/jpeg", b"\xff\xd8\xff")
PNG = FileType("png", "image/png", b"\x89PNG\r\n\x1a\n")
OFD = FileType("ofd", "application/ofd", b"PK\x03\x04")  # OFD (GB/T 33190) is a ZIP package
HEAD_BYTES = max(len(t.signature) for t in (PDF, JPEG, PNG, OFD))

DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
# A document's extension → what its content must be.
DOCUMENT_TYPES: dict[str, FileType] = {"pdf": PDF, "jpg": JPEG, "jpeg": JPEG, "png": PNG, "ofd": OFD}


def sniff(head: bytes, types: Iterable[FileType]) -> FileType | None:
    """The first of `types` whose signature the leading bytes carry, else None."""
    return next((t for t in types if head.startswith(t.signature)), None)


def extension_of(upload: Upload) -> str:
    return PurePath(upload.name or "").suffix.lower().lstrip(".")


def upload_head(upload: Upload, length: int = HEAD_BYTES) -> bytes:
    head = b""
    upload.seek(0)
    for chunk in upload.chunks():
        head += chunk[: length - len(head)]
        if len(head) >= length:
            break
    upload.seek(0)
    return head


def upload_sha256(upload: Upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@dataclass(frozen=True)
class UploadFacts:
    head: bytes  # the first HEAD_BYTES bytes
    size: int  # counted up to the first chunk past max_bytes
    sha256: str  # of what was counted: the whole file when it is within max_bytes


def upload_read(upload: Upload, *, max_bytes: int) -> UploadFacts:
    """The leading bytes, the size and the SHA-256 of an upload in one pass; reading stops past
    `max_bytes` (the size then tells it is too large)."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    upload.seek(0)
    for chunk in upload.chunks():
        head += chunk[: HEAD_BYTES - len(head)]
        size += len(chunk)
        if size > max_bytes:
            break
        digest.update(chunk)
    upload.seek(0)
    return UploadFacts(head, size, digest.hexdigest())


def document_problem(name: str, upload: Upload) -> str | None:
    """What is wrong with one uploaded document (`name` says which, in the message), or None."""
    extension = extension_of(upload)
    expected = DOCUMENT_TYPES.get(extension)
    if expected is None:
        return f"{name}的文件类型不支持，请上传 PDF、JPG、PNG 或 OFD 文件"
    size = upload.size or 0
    if size == 0:
        return f"{name}是空文件，请重新上传"
    if size > DOCUMENT_MAX_BYTES:
        return f"{name}超过 {DOCUMENT_MAX_BYTES // (1024 * 1024)} MB，请压缩后重新上传"
    if not upload_head(upload, len(expected.signature)).startswith(expected.signature):
        return f"{name}的文件内容与扩展名“.{extension}”不符，请上传真实的 {extension.upper()} 文件"
    return None
