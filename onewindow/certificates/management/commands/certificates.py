"""`onewindow certificates list|pdf|verify`: the certificates from the command line.

- `list [--status S] [--limit N]`: the newest certificates, one a line;
- `pdf NUMBER OUT.pdf`: write the sealed PDF of a certificate version;
- `verify FILE.pdf`: exit 0 for a genuine, unaltered and valid certificate issued here, 1 otherwise,
  with the reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from onewindow.certificates import verification
from onewindow.certificates.models import Certificate


class Command(BaseCommand):
    help = "电子证照：list 列出证照；pdf 导出证照文件；verify 核验 PDF（真实、未改动且有效时退出码为 0，否则为 1）"

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        listing = commands.add_parser("list", help="列出最新的证照")
        listing.add_argument("--status", default="", help="pending、valid、superseded、renewed、revoked")
        listing.add_argument("--limit", type=int, default=50)
        pdf = commands.add_parser("pdf", help="把证照文件写到 OUT.pdf")
        pdf.add_argument("number", help="证照版本编号（证照编号-版本号）")
        pdf.add_argument("out", help="输出文件")
        verify = commands.add_parser("verify", help="核验一个 PDF 文件")
        verify.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['subcommand']}")(options)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc

    def _list(self, options: dict[str, Any]) -> None:
        rows = Certificate.objects.select_related("certificate_type", "department__parent").order_by(
            "-created_at", "-id"
        )
        if options["status"]:
            rows = rows.filter(status=options["status"])
        for c in rows[: max(options["limit"], 0)]:
            self.stdout.write(
                f"{c.number}\t{c.get_status_display()}\t{c.certificate_type.name}\t{c.holder_name}\t"
                f"{c.department.display_name}\t{c.issued_on or '—'}"
            )

    def _pdf(self, options: dict[str, Any]) -> None:
        certificate = Certificate.objects.filter(number=options["number"]).first()
        if certificate is None:
            raise CommandError(f"未找到证照 {options['number']}")
        if not certificate.pdf:
            raise CommandError(f"证照 {certificate.number} 尚未签发，暂无文件")
        with certificate.pdf.open("rb") as handle:
            Path(options["out"]).write_bytes(handle.read())
        self.stdout.write(f"已写入 {options['out']}（SHA-256 {certificate.pdf_sha256}）")

    def _verify(self, options: dict[str, Any]) -> None:
        try:
            content = Path(options["file"]).read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取 {options['file']}: {exc}") from exc
        verdict = verification.verify_pdf(content)
        if verdict.status is not None:
            s = verdict.status
            self.stdout.write(
                f"{s.type_name} {s.number}：{s.standing_label}；颁发部门 {s.department}；持证主体 {s.holder}"
            )
        if verdict.valid:
            self.stdout.write(f"通过：{verdict.reason}")
            return
        raise CommandError(f"未通过：{verdict.reason}", returncode=1)
