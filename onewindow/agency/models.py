"""Storage of the agency service: the authorisation (委托) under which an agent acts for an applicant.
Rules live in domain.py; every write goes through services.py."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from onewindow.agency.domain import BASIS_LABELS, Basis, Grant, GrantState
from onewindow.orgs.models import Applicant, Organisation, User
from onewindow.projects.models import Project

# The domain's labels are plain Chinese (domain.py cannot import Django); named here for makemessages.
DOMAIN_LABEL_MESSAGES = (
    *(gettext_noop("提交申请"), gettext_noop("补正"), gettext_noop("提交补充材料"), gettext_noop("撤回申请")),
    *(gettext_noop("领取办理结果"), gettext_noop("窗口登记"), gettext_noop("申请人网上委托")),
    *(gettext_noop("重点项目免费代办"), gettext_noop("有效"), gettext_noop("尚未生效"), gettext_noop("已到期")),
    gettext_noop("已撤销"),
)


class Authorisation(models.Model):
    """委托: `agent` may act for `applicant` in `scope` from `valid_from` to `valid_until` (none: until
    revoked). A key project's (basis key_project, `project` set) also covers the cases linked to the
    project's roadmap, and is free of charge."""

    agent = models.ForeignKey(User, verbose_name=_("代办员"), on_delete=models.PROTECT, related_name="+")
    applicant = models.ForeignKey(
        Applicant, verbose_name=_("委托人（申请人）"), on_delete=models.PROTECT, related_name="authorisations"
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("重点项目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agency_authorisations",
    )
    basis = models.CharField(
        _("来源"), max_length=20, choices=[(b.value, _(label)) for b, label in BASIS_LABELS.items()]
    )
    scope = models.JSONField(_("委托范围"), default=list)  # AgencyAction values, in their order
    valid_from = models.DateField(_("起始日期"))
    valid_until = models.DateField(_("截止日期"), null=True, blank=True)
    # Who manages it: the recording clerk's region, the agent's region (granted online) or the project's district.
    region = models.ForeignKey(Organisation, verbose_name=_("登记地"), on_delete=models.PROTECT, related_name="+")

    # The signed 授权委托书: PDF, JPG, PNG or OFD, checked like case materials, SHA-256 recorded.
    document = models.FileField(_("授权委托书"), upload_to="agency/%Y/%m/", blank=True)
    document_sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    document_size = models.PositiveBigIntegerField(_("大小"), default=0)
    document_content_type = models.CharField(_("类型"), max_length=100, blank=True)

    recorded_by = models.ForeignKey(User, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_on = models.DateField(_("撤销日"), null=True, blank=True)  # Asia/Shanghai date of revoked_at
    revoked_by = models.ForeignKey(
        User, verbose_name=_("撤销人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.TextField(_("撤销原因"), blank=True)

    class Meta:
        verbose_name = _("代办委托")
        verbose_name_plural = _("代办委托")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="authorisation_until_after_from",
            ),
            models.CheckConstraint(
                condition=Q(basis=Basis.KEY_PROJECT, project__isnull=False)
                | (~Q(basis=Basis.KEY_PROJECT) & Q(project__isnull=True)),
                name="authorisation_project_iff_key_project",
            ),
            # A key project has one agent at a time: assigning another revokes the current one first.
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(project__isnull=False, revoked_at__isnull=True),
                name="authorisation_one_live_per_project",
            ),
        ]
        indexes = [
            models.Index(fields=["agent", "applicant"], name="authorisation_agent_idx"),
            models.Index(fields=["applicant", "-recorded_at"], name="authorisation_applicant_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.agent_id} ← {self.applicant_id} ({self.valid_from}–{self.valid_until or '…'})"

    @property
    def grant(self) -> Grant:
        return Grant(
            scope=frozenset(self.scope),
            valid_from=self.valid_from,
            valid_until=self.valid_until,
            revoked_on=self.revoked_on,
        )

    def state_on(self, today: dt.date) -> GrantState:
        return self.grant.state_on(today)

    @property
    def is_free(self) -> bool:
        return self.basis == Basis.KEY_PROJECT
