"""Storage of electronic certificates (电子证照): the certificate types of the catalogue, the certificates
issued (one row per version), the yearly number sequence. Rules live in domain.py; every write goes
through services/."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from onewindow import clock
from onewindow.cases.domain import WARNING_LABELS
from onewindow.cases.models import Case, CaseMatter, translated
from onewindow.catalogue.models import Matter
from onewindow.certificates.domain import (
    HOLDER_KIND_LABELS,
    METHOD_LABELS,
    REVOCATION_LABELS,
    STATUS_LABELS,
    CertificateStatus,
    HolderKind,
)
from onewindow.orgs.models import Applicant, Organisation, User, Window

# The domain's labels are plain Chinese (domain.py cannot import Django); named here for makemessages.
DOMAIN_LABEL_MESSAGES = (
    *(gettext_noop("待签发"), gettext_noop("有效"), gettext_noop("已变更（旧版本）")),
    *(gettext_noop("已延续（旧版本）"), gettext_noop("已撤销"), gettext_noop("撤销"), gettext_noop("注销")),
    *(gettext_noop("不限"), gettext_noop("自然人"), gettext_noop("法人和其他组织")),
    *(gettext_noop("尚未签发"), gettext_noop("已变更，本版本已失效"), gettext_noop("已延续，本版本已由新版本替代")),
    gettext_noop("已过有效期"),
    *(gettext_noop("网上下载"), gettext_noop("窗口领取"), gettext_noop("邮寄送达")),
)


class CertificateType(models.Model):
    """证照类型 (GB/T 36902 目录): which matters issue it, its printed fields, numbering, validity, issuer."""

    class Template(models.TextChoices):
        LICENCE = "licence", _("许可证（横版）")
        CERTIFICATE = "certificate", _("证明（竖版）")

    code = models.CharField(_("证照类型代码"), max_length=40, unique=True)  # GB/T 36902
    name = models.CharField(_("证照名称"), max_length=100)
    number_prefix = models.CharField(_("编号前缀"), max_length=10)
    matters = models.ManyToManyField(Matter, verbose_name=_("颁证事项"), related_name="certificate_types")
    # The issuing department: blank means the department of the case's matter.
    department = models.ForeignKey(
        Organisation,
        verbose_name=_("颁发部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "department"},
    )
    # 颁发机构代码 of GB/T 36904 (统一社会信用代码): the organisations here carry no credit code.
    issuer_code = models.CharField(_("颁发机构代码"), max_length=18, blank=True)
    holder_kind = models.CharField(
        _("持证主体类别"),
        max_length=20,
        choices=[(k.value, _(label)) for k, label in HOLDER_KIND_LABELS.items()],
        default=HolderKind.ANY,
    )
    field_specs = models.JSONField(
        _("证照字段"), default=list, blank=True
    )  # [{"key", "label", "source"}] (domain.FieldSpec)
    validity_months = models.PositiveSmallIntegerField(_("有效期（月）"), default=0, help_text=_("0 表示长期有效"))
    template = models.CharField(_("模板"), max_length=20, choices=Template.choices, default=Template.LICENCE)
    legal_basis = models.TextField(_("设定依据"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("证照类型")
        verbose_name_plural = _("证照类型")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Certificate(models.Model):
    """One version of an issued certificate. 变更 and 延续 write a new row (`previous` points back, the old
    row becomes superseded/renewed); the licence number stays, `number` (证照编号-版本号) is per version."""

    certificate_type = models.ForeignKey(
        CertificateType, verbose_name=_("证照类型"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(Case, verbose_name=_("办件"), on_delete=models.PROTECT, related_name="certificates")
    case_matter = models.ForeignKey(CaseMatter, verbose_name=_("办件事项"), on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey(
        Applicant, verbose_name=_("持证主体"), on_delete=models.PROTECT, related_name="certificates"
    )
    department = models.ForeignKey(Organisation, verbose_name=_("颁发部门"), on_delete=models.PROTECT, related_name="+")
    # The case's region: staff see the certificates of their subtree (as they see its cases).
    region = models.ForeignKey(Organisation, verbose_name=_("受理地"), on_delete=models.PROTECT, related_name="+")

    licence_number = models.CharField(_("证照编号"), max_length=60)
    version = models.PositiveSmallIntegerField(_("版本号"), default=1)
    number = models.CharField(_("证照版本编号"), max_length=64, unique=True)
    identifier = models.CharField(_("电子证照标识"), max_length=160, unique=True)  # GB/T 36904
    previous = models.OneToOneField(
        "self", verbose_name=_("上一版本"), null=True, blank=True, on_delete=models.PROTECT, related_name="next"
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=translated(STATUS_LABELS), default=CertificateStatus.PENDING
    )

    holder_name = models.CharField(_("持证主体名称"), max_length=200)
    holder_id_number = models.CharField(_("持证主体代码"), max_length=18)
    data = models.JSONField(_("证照数据"), default=dict)  # field key -> value, as printed

    decided_on = models.DateField(_("决定日期"))
    due_on = models.DateField(_("发证期限"))  # Art. 44: 10 working days after the decision
    warning_level = models.CharField(_("预警"), max_length=10, choices=translated(WARNING_LABELS), default="normal")
    issued_on = models.DateField(_("发证日期"), null=True, blank=True)
    issued_at = models.DateTimeField(_("签发时间"), null=True, blank=True)
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)  # none: 长期有效
    change_reason = models.TextField(_("变更/延续事由"), blank=True)

    # The sealed document and the SM2 signature of the canonical data (domain.canonical_json).
    pdf = models.FileField(_("电子证照文件"), upload_to="certificates/%Y/%m/", blank=True)
    pdf_sha256 = models.CharField(_("文件 SHA-256"), max_length=64, blank=True)
    pdf_size = models.PositiveBigIntegerField(_("文件大小"), default=0)
    data_signature = models.TextField(_("SM2 签名"), blank=True)  # base64, GB/T 32918 (DER)
    data_signer_key = models.TextField(_("SM2 公钥"), blank=True)  # PEM
    seal_fingerprint = models.CharField(_("印章证书指纹"), max_length=80, blank=True)

    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User, verbose_name=_("撤销人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revocation_kind = models.CharField(
        _("撤销类别"), max_length=10, blank=True, choices=[(k.value, _(v)) for k, v in REVOCATION_LABELS.items()]
    )
    revocation_reason = models.TextField(_("撤销原因"), blank=True)
    revocation_basis = models.TextField(_("法律依据"), blank=True)

    created_at = models.DateTimeField(_("创建时间"), default=clock.now, editable=False)  # told time (onewindow.clock)

    class Meta:
        verbose_name = _("电子证照")
        verbose_name_plural = _("电子证照")
        constraints = [
            models.UniqueConstraint(fields=["licence_number", "version"], name="certificate_version_unique"),
            # One certificate of each type per approved matter of a case (its later versions continue it).
            models.UniqueConstraint(
                fields=["case_matter", "certificate_type"], condition=Q(version=1), name="certificate_once_per_matter"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="certificate_until_after_from",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "status"], name="certificate_region_status_idx"),
            models.Index(fields=["applicant", "-created_at"], name="certificate_applicant_idx"),
            models.Index(fields=["status", "due_on"], name="certificate_status_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.certificate_type}"


class CertificateSequence(models.Model):
    """The last number given per (number prefix, region, year): locked while a number is taken. Types that
    share a prefix share the sequence, so their licence numbers never collide."""

    prefix = models.CharField(max_length=10)
    region_code = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "region_code", "year"], name="certificate_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region_code}/{self.year}: {self.last}"


class Delivery(models.Model):
    """One handing-over of a certificate version (送达): downloaded, collected at a window, or posted."""

    certificate = models.ForeignKey(
        Certificate, verbose_name=_("电子证照"), on_delete=models.PROTECT, related_name="deliveries"
    )
    method = models.CharField(_("送达方式"), max_length=10, choices=[(m.value, _(v)) for m, v in METHOD_LABELS.items()])
    delivered_at = models.DateTimeField(_("送达时间"))
    # The holder's account for a download; the clerk who handed it over or posted it otherwise.
    recorded_by = models.ForeignKey(User, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    recipient_name = models.CharField(_("领取人/收件人"), max_length=100, blank=True)
    # An agent who collected it under the holder's authorisation (代办领取).
    agent = models.ForeignKey(
        User, verbose_name=_("代办员"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    window = models.ForeignKey(Window, verbose_name=_("窗口"), null=True, blank=True, on_delete=models.PROTECT)
    carrier = models.CharField(_("寄递单位"), max_length=40, blank=True)
    tracking_number = models.CharField(_("寄递单号"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("证照送达")
        verbose_name_plural = _("证照送达")
        ordering = ["delivered_at", "id"]
        constraints = [
            # A holder's downloads are recorded once per version (the first); the others are only served.
            models.UniqueConstraint(
                fields=["certificate", "recorded_by"], condition=Q(method="download"), name="delivery_download_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate.number} {self.get_method_display()}"
