"""The bottlenecks page lists the first SHOWN_CASES replayed cases (those that saved most first) and says how many
there are; the export has every one (a year's bundle cases of a large city are tens of thousands of rows)."""

from __future__ import annotations

import io

import pytest

from onewindow.analytics.bottlenecks import views
from onewindow.analytics.tests.figures_world import QUERY, World, build
from onewindow.cases.models import Task
from onewindow.xlsx import read_sheets

pytestmark = pytest.mark.django_db


def test_the_page_lists_the_first_replayed_cases_and_the_export_all(time_machine, client, monkeypatch):
    world: World = build(time_machine)
    client.force_login(world.leader)
    last = Task.objects.filter(case=world.bundle, stage=1).order_by("pk")[2].department_id
    query = f"{QUERY}&bundle={world.bundle.bundle_version.bundle_id}&whatif_department={last}&days=2"
    number = f">{world.bundle.number}</a>"
    page = client.get(f"/analytics/bottlenecks/?{query}").content.decode()
    assert number in page and "全部见导出的 Excel" not in page
    monkeypatch.setattr(views, "SHOWN_CASES", 0)
    page = client.get(f"/analytics/bottlenecks/?{query}").content.decode()
    assert number not in page and "显示前 0 行，共 1 行；全部见导出的 Excel。" in page
    export = client.get(f"/analytics/bottlenecks/export/?{query}")
    content = io.BytesIO(b"".join(export.streaming_content))
    sheets = read_sheets(content, ["推演：逐件重放"], max_bytes=10_000_000, max_rows=1000)
    assert sheets["推演：逐件重放"][2][0] == world.bundle.number
