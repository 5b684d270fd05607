"""The monthly report on 300 cases of written history (`history_write`, as in `test_history_write.py`): the
headline's numbers are those of the cases behind them, counted here independently, and the Word file holds
every table of the report."""

from __future__ import annotations

import io

import pytest
from docx import Document

from onewindow import clock
from onewindow.analytics.history.write import history_write
from onewindow.analytics.report.domain import previous_month
from onewindow.analytics.report.render import report_docx
from onewindow.analytics.report.tables import report_for
from onewindow.analytics.tests.history_district import history_district
from onewindow.cases.models import Case
from onewindow.orgs.domain import Role
from onewindow.orgs.tests.factories import staff

pytestmark = pytest.mark.django_db


def test_the_report_counts_the_cases_of_the_month(django_assert_max_num_queries):
    home, bundle, _matters = history_district()
    assert history_write(300, seed=5).cases == 300
    supervisor = staff(Role.SUPERVISOR, home)

    first, last = previous_month(clock.today().replace(day=1))
    in_month = Case.objects.filter(submitted_at__date__gte=first, submitted_at__date__lte=last)
    setups = Case.objects.filter(
        bundle_version__bundle=bundle.bundle,
        status="completed",
        completed_at__date__gte=first,
        completed_at__date__lte=last,
    )
    with django_assert_max_num_queries(80):
        report = report_for(supervisor, first, last)
    assert in_month.count() > 0
    assert f"共受理办件{in_month.count()}件" in report.headline
    online = in_month.filter(channel__in=["online", "app"]).count()  # the app's submissions are online ones
    online_rate = round(online / in_month.count() * 100, 1)
    assert f"网上办理率为{online_rate:g}%" in report.headline
    if setups.exists():
        assert f"本月办结企业开办{setups.count()}件" in report.headline
    else:
        assert "本月无办结的企业开办。" in report.headline

    document = Document(io.BytesIO(report_docx(report, "测试中心")))
    assert len(document.tables) == sum(1 for t in report.tables if t.rows)
    assert any(report.headline == p.text for p in document.paragraphs)
