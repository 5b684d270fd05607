"""What the analysis records itself: the searches of the public catalogue (public data: who searched is never
kept — no user, IP or session — and a query that looks like personal data is not stored)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

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
