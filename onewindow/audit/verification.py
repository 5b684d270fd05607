"""Recompute the whole log: every link of every stream, every checkpoint, and exported checkpoints;
and run the checks apps registered to prove their rows still say what their events say.

Events are read in (stream, seq) order by keyset pages, so memory stays flat for any log size.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q

from onewindow.audit import domain, registry, signing
from onewindow.audit.domain import Break
from onewindow.audit.models import Checkpoint, Event, StreamHead

EXPORT_TYPE = "onewindow.audit.checkpoint/1"
_COLUMNS = (*domain.PAYLOAD_FIELDS, "prev_hash", "hash")
_HEAD_BATCH = 500


@dataclass
class VerifyReport:
    events_checked: int = 0
    streams_checked: int = 0
    checkpoints_checked: int = 0
    heads_checked: int = 0
    seconds: float = 0.0
    breaks: list[Break] = field(default_factory=list)
    # The keys the checkpoints were signed with, and those this deployment accepts (signing.trusted_public_keys).
    key_fingerprints: set[str] = field(default_factory=set)
    current_key: str = ""
    retired_keys: set[str] = field(default_factory=set)
    # What each consistency check the apps registered (audit.registry) compared with its events.
    compared: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.breaks

    @property
    def events_per_second(self) -> float:
        return self.events_checked / self.seconds if self.seconds > 0 else 0.0

    def trust_keys(self) -> set[str]:
        """Read the keys this deployment accepts checkpoints from (its own, then the retired ones)."""
        current, *retired = signing.trusted_public_keys()
        self.current_key, self.retired_keys = current, set(retired)
        return {current, *retired}

    def signing_keys(self) -> list[tuple[str, str]]:
        """Each key the checkpoints were signed with: "current", "retired", or "unknown" (a forgery)."""
        return [
            (fp, "current" if fp == self.current_key else "retired" if fp in self.retired_keys else "unknown")
            for fp in sorted(self.key_fingerprints)
        ]


def verify_log(*, chunk_size: int = 5000, progress: Callable[[int], None] | None = None) -> VerifyReport:
    """Check every chain link, each stream's recorded head, the apps' registered consistency
    checks, and every checkpoint (signed by a key this deployment trusts)."""
    report = VerifyReport()
    trusted = report.trust_keys()
    started = time.perf_counter()
    _verify_chains(report, chunk_size, progress)
    report.seconds = time.perf_counter() - started
    _verify_headless_truncation(report)
    _verify_registered(report, chunk_size)
    _verify_checkpoints(report, trusted)
    return report


def iter_links(chunk_size: int = 5000) -> Iterator[domain.Link]:
    """Every stored event in (stream, seq) order, one keyset page at a time."""
    after: tuple[str, int] | None = None
    while True:
        page = Event.objects.order_by("stream", "seq").values_list(*_COLUMNS)
        if after is not None:
            # A row-value comparison walks the (stream, seq) unique index on both SQLite and PostgreSQL.
            page = page.extra(where=["(stream, seq) > (%s, %s)"], params=list(after))
        rows = list(page[:chunk_size])
        for row in rows:
            yield _link(row)
        if len(rows) < chunk_size:
            return
        after = (rows[-1][0], rows[-1][1])


def _link(row: Sequence[Any]) -> domain.Link:
    values = dict(zip(_COLUMNS, row, strict=True))
    return domain.Link(
        stream=values["stream"],
        seq=values["seq"],
        prev_hash=values["prev_hash"],
        hash=values["hash"],
        algorithm=values["algorithm"],
        payload=domain.event_payload(values),
    )


def _verify_chains(report: VerifyReport, chunk_size: int, progress: Callable[[int], None] | None) -> None:
    checker = domain.ChainChecker()
    finished: list[tuple[str, int, str, bool]] = []
    for link in iter_links(chunk_size):
        if checker.stream is not None and link.stream != checker.stream:
            finished.append((checker.stream, checker.seq, checker.hash, checker.broken))
        found = checker.feed(link)
        if found is not None:
            report.breaks.append(found)
        if len(finished) >= _HEAD_BATCH:
            _compare_heads(report, finished)
            finished = []
        if progress is not None and checker.checked % chunk_size == 0:
            progress(checker.checked)
    if checker.stream is not None:
        finished.append((checker.stream, checker.seq, checker.hash, checker.broken))
    _compare_heads(report, finished)
    report.events_checked = checker.checked


def _compare_heads(report: VerifyReport, finished: Sequence[tuple[str, int, str, bool]]) -> None:
    """Each stream's chain must end where its head row says (catches events deleted at the end)."""
    report.streams_checked += len(finished)
    heads = dict(
        (stream, (seq, head_hash))
        for stream, seq, head_hash in StreamHead.objects.filter(stream__in=[f[0] for f in finished]).values_list(
            "stream", "seq", "hash"
        )
    )
    for stream, last_seq, last_hash, broken in finished:
        if broken:
            continue
        problem = _head_problem(stream, last_seq, last_hash, heads.get(stream))
        if problem is not None:
            report.breaks.append(problem)


def _head_problem(stream: str, last_seq: int, last_hash: str, head: tuple[int, str] | None) -> Break | None:
    if head is None:
        return Break(stream, 1, "流头记录缺失（事件绕过平台写入）")
    head_seq, head_hash = head
    if head_seq == last_seq:
        return None if head_hash == last_hash else Break(stream, last_seq, "链尾哈希与流头不符")
    if head_seq < last_seq:
        return Break(stream, head_seq + 1, "链尾之后有流头未记录的事件")
    # The head is ahead: either appended while we read, or the tail was deleted.
    if Event.objects.filter(stream=stream, seq=head_seq, hash=head_hash).exists():
        return None
    return Break(stream, last_seq + 1, f"链尾事件缺失：流头为第 {head_seq} 号，链只到第 {last_seq} 号")


def _verify_headless_truncation(report: VerifyReport) -> None:
    emptied = StreamHead.objects.filter(seq__gt=0).filter(~Exists(Event.objects.filter(stream=OuterRef("stream"))))
    for stream in emptied.values_list("stream", flat=True):
        report.breaks.append(Break(stream, 1, "该流的事件全部缺失"))


def _verify_registered(report: VerifyReport, chunk_size: int) -> None:
    """The apps' own rows that restate their events (a case's status, its timeline): each check
    the apps registered, page by page."""
    for noun, check in registry.consistency_checks().items():
        report.compared[noun] = 0
        for compared, breaks in check(chunk_size):
            report.compared[noun] += compared
            report.breaks.extend(breaks)


def _verify_checkpoints(report: VerifyReport, trusted: set[str]) -> None:
    # Consecutive checkpoints share most heads: prove only those the previous one did not have
    # (memory stays at one checkpoint's heads, not the whole history's).
    previous: set[tuple[str, int, str]] = set()
    fingerprints: dict[str, str] = {}
    untrusted: dict[str, list[int]] = {}  # fingerprint → [first id, last id, count]
    for checkpoint in Checkpoint.objects.order_by("id").iterator(chunk_size=20):
        report.checkpoints_checked += 1
        label = f"检查点 #{checkpoint.pk}"
        document = checkpoint_as_export(checkpoint)
        report.breaks.extend(_signed_record_problems(document, label))
        fingerprint = _fingerprint(document, label, report, fingerprints)
        if fingerprint and fingerprint not in trusted:
            first, _, count = untrusted.get(fingerprint, [checkpoint.pk, 0, 0])
            untrusted[fingerprint] = [first, checkpoint.pk, count + 1]
        heads = [(str(s), int(q), str(h)) for s, q, h in checkpoint.heads]
        report.breaks.extend(heads_missing_from_chain([head for head in heads if head not in previous], label))
        previous = set(heads)
    for fingerprint, (first, last, count) in untrusted.items():
        label = f"检查点 #{first}" if count == 1 else f"检查点 #{first} 至 #{last} 中的 {count} 个检查点"
        report.breaks.append(_untrusted_key(fingerprint, label))


def _fingerprint(
    document: Mapping[str, Any], label: str, report: VerifyReport, known: dict[str, str] | None = None
) -> str:
    """The fingerprint of the key the document was signed with, computed from the key itself ("" for
    an unreadable key, whose signature check fails already); noted in the report. `known`: PEM →
    fingerprint of the keys seen so far (one parse per key, not per checkpoint)."""
    known = {} if known is None else known
    if document["public_key"] not in known:
        try:
            known[document["public_key"]] = signing.key_fingerprint(document["public_key"])
        except ValueError:
            known[document["public_key"]] = ""
    fingerprint = known[document["public_key"]]
    if not fingerprint:
        return ""
    report.key_fingerprints.add(fingerprint)
    recorded = document.get("key_fingerprint")
    if recorded is not None and recorded != fingerprint:
        report.breaks.append(Break(label, 0, f"记录的公钥指纹 {recorded} 与所附公钥（{fingerprint}）不符"))
    return fingerprint


def _untrusted_key(fingerprint: str, label: str) -> Break:
    return Break(
        label,
        0,
        f"由未登记的公钥 {fingerprint} 签名：它既不是本部署的签名密钥，也不在 AUDIT_RETIRED_PUBLIC_KEYS_FILE "
        "列出的旧公钥中（检查点可能是伪造的）",
    )


def checkpoint_as_export(checkpoint: Checkpoint) -> dict[str, Any]:
    """The checkpoint as a self-contained JSON document (what `audit checkpoint --export` writes)."""
    return {
        "type": EXPORT_TYPE,
        "id": checkpoint.pk,
        "created_at": checkpoint.created_at.isoformat(),
        "algorithm": checkpoint.algorithm,
        "root": checkpoint.root,
        "stream_count": checkpoint.stream_count,
        "event_count": checkpoint.event_count,
        "signature_scheme": checkpoint.signature_scheme,
        "public_key": checkpoint.public_key,
        "key_fingerprint": checkpoint.key_fingerprint,
        "signature": checkpoint.signature,
        "heads": checkpoint.heads,
    }


def _signed_record_problems(document: Mapping[str, Any], label: str) -> list[Break]:
    heads = [(str(s), int(q), str(h)) for s, q, h in document["heads"]]
    problems = []
    try:
        if domain.heads_root(document["algorithm"], heads) != document["root"]:
            problems.append(Break(label, 0, "默克尔根与记录的各流头不符"))
    except domain.UnknownAlgorithm:
        problems.append(Break(label, 0, f"无法计算的哈希算法 {document['algorithm']}"))
    if len(heads) != document["stream_count"] or sum(q for _, q, _ in heads) != document["event_count"]:
        problems.append(Break(label, 0, "流数或事件数与记录的各流头不符"))
    signed = domain.checkpoint_signed_bytes(
        algorithm=document["algorithm"],
        created_at=document["created_at"],
        root=document["root"],
        stream_count=document["stream_count"],
        event_count=document["event_count"],
    )
    if not signing.verify_signature(
        document["signature_scheme"], document["public_key"], signed, document["signature"]
    ):
        problems.append(Break(label, 0, "签名无效"))
    return problems


def heads_missing_from_chain(heads: Sequence[tuple[str, int, str]], label: str) -> list[Break]:
    """Every anchored head must still be in its chain at the same seq with the same hash."""
    problems = []
    for start in range(0, len(heads), _HEAD_BATCH):
        batch = heads[start : start + _HEAD_BATCH]
        condition = Q()
        for stream, seq, _ in batch:
            condition |= Q(stream=stream, seq=seq)
        stored = {(s, q): h for s, q, h in Event.objects.filter(condition).values_list("stream", "seq", "hash")}
        for stream, seq, head_hash in batch:
            found = stored.get((stream, seq))
            if found is None:
                problems.append(Break(stream, seq, f"{label}锚定的第 {seq} 号事件已不在链中（被删除）"))
            elif found != head_hash:
                problems.append(Break(stream, seq, f"{label}锚定的第 {seq} 号事件哈希已改变（历史被改写）"))
    return problems


class ExportInvalid(ValueError):
    pass


_EXPORT_KEYS = {
    "created_at": str,
    "algorithm": str,
    "root": str,
    "stream_count": int,
    "event_count": int,
    "signature_scheme": str,
    "public_key": str,
    "signature": str,
    "heads": list,
}


def verify_export(document: Mapping[str, Any]) -> VerifyReport:
    """Prove the log still extends an exported checkpoint: valid signature, every head still in place."""
    _check_export_shape(document)
    report = VerifyReport(checkpoints_checked=1)
    trusted = report.trust_keys()
    started = time.perf_counter()
    label = "导出的检查点"
    report.breaks.extend(_signed_record_problems(document, label))
    fingerprint = _fingerprint(document, label, report)
    if fingerprint and fingerprint not in trusted:
        report.breaks.append(_untrusted_key(fingerprint, label))
    heads = [(str(s), int(q), str(h)) for s, q, h in document["heads"]]
    report.breaks.extend(heads_missing_from_chain(heads, label))
    report.streams_checked = report.heads_checked = len(heads)
    report.seconds = time.perf_counter() - started
    return report


def verify_log_extending(document: Mapping[str, Any], *, chunk_size: int = 5000) -> VerifyReport:
    """The whole log verifies and still extends the exported checkpoint (so no history was cut or rewritten)."""
    anchored = verify_export(document)
    report = verify_log(chunk_size=chunk_size)
    report.breaks.extend(anchored.breaks)
    report.heads_checked = anchored.heads_checked
    report.checkpoints_checked += 1
    report.key_fingerprints |= anchored.key_fingerprints
    return report


def _check_export_shape(document: Mapping[str, Any]) -> None:
    if not isinstance(document, Mapping) or document.get("type") != EXPORT_TYPE:
        raise ExportInvalid(f"不是留痕检查点导出文件（type 应为 {EXPORT_TYPE}）")
    for key, expected in _EXPORT_KEYS.items():
        if not isinstance(document.get(key), expected):
            raise ExportInvalid(f"检查点导出文件缺少或错误的字段：{key}")
    if not all(isinstance(head, list) and len(head) == 3 for head in document["heads"]):
        raise ExportInvalid("检查点导出文件的 heads 应为列表，每项依次为流、序号、哈希")


def describe(breaks: Iterable[Break]) -> list[str]:
    return [f"{b.stream} 第 {b.seq} 号：{b.reason}" if b.seq else f"{b.stream}：{b.reason}" for b in breaks]
