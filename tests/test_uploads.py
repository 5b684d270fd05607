"""onewindow.uploads: one check of uploaded files for every app (type by leading bytes, size, SHA-256)."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from onewindow import uploads

PDF = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_the_type_is_judged_by_the_leading_bytes():
    assert uploads.sniff(PNG, (uploads.JPEG, uploads.PNG)) is uploads.PNG
    assert uploads.sniff(b"\xff\xd8\xff\xe0rest", (uploads.JPEG, uploads.PNG)) is uploads.JPEG
    assert uploads.sniff(PDF, (uploads.JPEG, uploads.PNG)) is None
    assert uploads.sniff(b"", (uploads.JPEG,)) is None


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("a.pdf", PDF, None),
        ("A.PDF", PDF, None),
        ("scan.jpeg", b"\xff\xd8\xff\xe0", None),
        ("a.ofd", b"PK\x03\x04rest", None),
        ("a.docx", PDF, "营业执照的文件类型不支持，请上传 PDF、JPG、PNG 或 OFD 文件"),
        ("noextension", PDF, "营业执照的文件类型不支持，请上传 PDF、JPG、PNG 或 OFD 文件"),
        ("a.pdf", b"", "营业执照是空文件，请重新上传"),
        ("a.pdf", PNG, "营业执照的文件内容与扩展名“.pdf”不符，请上传真实的 PDF 文件"),
        ("a.png", PDF, "营业执照的文件内容与扩展名“.png”不符，请上传真实的 PNG 文件"),
    ],
)
def test_a_document_is_a_known_type_whose_content_matches_its_extension(name, content, problem):
    assert uploads.document_problem("营业执照", upload(name, content)) == problem


def test_a_document_over_the_limit_is_refused():
    big = upload("a.pdf", PDF + b"0" * (uploads.DOCUMENT_MAX_BYTES - len(PDF) + 1))
    assert uploads.document_problem("营业执照", big) == "营业执照超过 20 MB，请压缩后重新上传"
    exact = upload("a.pdf", PDF + b"0" * (uploads.DOCUMENT_MAX_BYTES - len(PDF)))
    assert uploads.document_problem("营业执照", exact) is None


def test_checking_leaves_the_file_at_its_start():
    file = upload("a.pdf", PDF)
    uploads.document_problem("材料", file)
    assert file.read() == PDF


def test_the_digest_is_the_sha256_of_the_whole_file_and_the_file_is_rewound():
    file = upload("a.pdf", PDF * 1000)
    assert uploads.upload_sha256(file) == hashlib.sha256(PDF * 1000).hexdigest()
    assert file.read(5) == b"%PDF-"


def test_one_pass_gives_head_size_and_digest():
    facts = uploads.upload_read(upload("p.png", PNG), max_bytes=1000)
    assert facts == uploads.UploadFacts(PNG[: uploads.HEAD_BYTES], len(PNG), hashlib.sha256(PNG).hexdigest())


class Chunked:
    """An upload read in chunks of 100 bytes, as a large file on disk is."""

    def __init__(self, content: bytes) -> None:
        self.name, self.size, self.content, self.read_chunks = "p.png", len(content), content, 0

    def seek(self, offset: int, /) -> None:
        pass

    def chunks(self):
        for start in range(0, len(self.content), 100):
            self.read_chunks += 1
            yield self.content[start : start + 100]


def test_reading_stops_past_the_limit():
    file = Chunked(PNG + b"0" * 10_000)
    facts = uploads.upload_read(file, max_bytes=250)
    assert (facts.size, file.read_chunks) == (300, 3)  # the size tells it is too large
    assert facts.head == PNG[:8]
