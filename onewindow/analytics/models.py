"""What the analysis records itself: the searches of the public catalogue (public data: who searched is never
kept — no user, IP or session — and a query that looks like personal data is not stored), and the reforms
whose results the analysis computes (`reforms/`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow import clock

QUERY_MAX_LENGTH = 100


class CatalogueSearch(models.Model):
    """One search of the public catalogue with a query: its normalised text, the day (Asia/Shanghai), how
    many matters it found and the first of them."""

    query = models.CharField(_("检索词"), max_length=QUERY_MAX_LENGTH)
    day = models.DateField(_("日期"), db_index=True)
    results = models.PositiveIntegerField(_("结果数"))
    matter = models.ForeignKey(
        "catalogue.Matter",
        verbose_name=_("第一个结果事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("事项检索")
        verbose_name_plural = _("事项检索")
        indexes = [models.Index(fields=["day", "results"], name="analytics_search_day_results")]

    def __str__(self) -> str:
        return f"{self.day} {self.query} ({self.results})"


class Reform(models.Model):
    """A dated reform of matters or bundles (a promised limit cut, materials removed, a stage made parallel), as
    the document that decided it says; its results are computed from the cases, never stored
    (`reforms/`). Recorded by a system admin of `organisation` (`reforms.services.reform_record`, audited)."""

    title = models.CharField(_("改革名称"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=100)
    effective_on = models.DateField(_("实施日期"))
    description = models.TextField(_("改革内容"), blank=True)
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("实施区划"), on_delete=models.PROTECT, related_name="+"
    )
    matters = models.ManyToManyField("catalogue.Matter", verbose_name=_("涉及事项"), blank=True, related_name="+")
    bundles = models.ManyToManyField("catalogue.Bundle", verbose_name=_("涉及一件事"), blank=True, related_name="+")
    recorded_by = models.ForeignKey("orgs.User", verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("改革")
        verbose_name_plural = _("改革")
        ordering = ["-effective_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["document_number"], name="analytics_reform_document_number_unique")
        ]
        indexes = [models.Index(fields=["organisation", "effective_on"], name="analytics_reform_org_on")]

    def __str__(self) -> str:
        return f"{self.title}（{self.document_number}）"
