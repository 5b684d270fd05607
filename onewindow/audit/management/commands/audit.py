"""`onewindow audit verify|checkpoint`: recompute the log, write and export signed checkpoints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from onewindow.audit import verification
from onewindow.audit.models import Checkpoint
from onewindow.audit.services import checkpoint_create

KEY_STANDING = {"current": "本部署的签名密钥", "retired": "已登记的旧密钥", "unknown": "未登记的密钥"}


class Command(BaseCommand):
    help = "全程留痕：verify 校验整条留痕链与检查点；checkpoint 立即写入签名检查点"

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        verify = commands.add_parser("verify", help="重新计算每条流的每个链接和每个检查点；发现断链时退出码为 1")
        verify.add_argument("--checkpoint", metavar="FILE", help="同时证明留痕仍延续这个导出的检查点文件")
        verify.add_argument("--chunk-size", type=int, default=5000, help="每批读取的事件数（默认 5000）")
        checkpoint = commands.add_parser("checkpoint", help="立即写入一个签名检查点")
        checkpoint.add_argument("--export", metavar="FILE", help="同时把检查点写成 JSON 文件")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self._handle(options)
        except ImproperlyConfigured as exc:  # the signing key or the retired keys (checks audit.E002–E004)
            raise CommandError(str(exc)) from exc

    def _handle(self, options: dict[str, Any]) -> None:
        if options["subcommand"] == "checkpoint":
            self._checkpoint(options["export"])
        elif options["chunk_size"] < 1:
            raise CommandError("--chunk-size 必须为正整数")
        elif options["checkpoint"]:
            self._report(self._verify_export(Path(options["checkpoint"]), options["chunk_size"]))
        else:
            self._report(verification.verify_log(chunk_size=options["chunk_size"]))

    def _checkpoint(self, export: str | None) -> None:
        checkpoint = checkpoint_create(force=True)
        assert isinstance(checkpoint, Checkpoint)  # force=True always writes one
        self.stdout.write(
            f"检查点 #{checkpoint.pk}: {checkpoint.stream_count} 条流， {checkpoint.event_count} 个事件，"
            f"根 {checkpoint.root} ({checkpoint.algorithm}), 公钥 {checkpoint.key_fingerprint}"
        )
        if export:
            document = verification.checkpoint_as_export(checkpoint)
            Path(export).write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
            self.stdout.write(f"已导出到 {export};请把它保存在本系统之外(见 docs/operations/audit.md)")

    def _verify_export(self, path: Path, chunk_size: int) -> verification.VerifyReport:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"无法读取检查点文件 {path}: {exc}") from exc
        try:
            return verification.verify_log_extending(document, chunk_size=chunk_size)
        except verification.ExportInvalid as exc:
            raise CommandError(str(exc)) from exc

    def _report(self, report: verification.VerifyReport) -> None:
        self.stdout.write(
            f"已校验 {report.events_checked} 个事件、{report.streams_checked} 条流、"
            f"{report.checkpoints_checked} 个检查点，"
            f"用时 {report.seconds:.2f} 秒（{report.events_per_second:,.0f} 事件/秒）"
        )
        for noun, count in report.compared.items():
            self.stdout.write(f"已核对 {count} 个{noun}与留痕事件是否一致")
        if report.heads_checked:
            self.stdout.write(f"已核对检查点锚定的 {report.heads_checked} 个流头仍在链中")
        for fingerprint, standing in report.signing_keys():
            self.stdout.write(f"检查点签名公钥：{fingerprint}（{KEY_STANDING[standing]}）")
        if report.ok:
            self.stdout.write(self.style.SUCCESS("留痕完整：未发现断链"))
            return
        for line in verification.describe(report.breaks):
            self.stderr.write(f"断链：{line}")
        raise CommandError(f"发现 {len(report.breaks)} 处断链", returncode=1)
