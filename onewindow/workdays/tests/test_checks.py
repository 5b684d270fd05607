import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from onewindow.workdays import services
from onewindow.workdays.checks import check_years_known

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-11-22 10:00 +0800", tick=False)
def test_warns_when_next_year_is_not_entered():
    warnings = check_years_known(databases=["default"])
    assert [w.id for w in warnings] == ["workdays.W001"]
    assert "2027" in warnings[0].msg


@time_machine.travel("2026-11-22 10:00 +0800", tick=False)
def test_silent_once_next_year_is_published(system_admin):
    services.calendar_year_save(actor=system_admin, year=2027, is_published=True)
    assert check_years_known(databases=["default"]) == []


@time_machine.travel("2028-01-05 10:00 +0800", tick=False)
def test_warns_for_this_year_and_next_when_both_are_missing():
    assert ["2028" in w.msg for w in check_years_known(databases=["default"])] == [True, False]


def test_is_a_database_check_run_with_check_database():
    with time_machine.travel("2026-11-22 10:00 +0800", tick=False), pytest.raises(SystemCheckError, match="W001"):
        call_command("check", "--database", "default", "--tag", "database", "--fail-level", "WARNING")
    call_command(
        "check", "--tag", "database", "--fail-level", "WARNING"
    )  # plain `check` (CI) does not read the database
