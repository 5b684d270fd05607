import io

import pytest
from django.core.management import call_command

from onewindow.workdays.management.commands.workdays import Command

pytestmark = pytest.mark.django_db


def run(*args):
    """Run as an operator would: parsed like the command line, exit status and both streams kept."""
    out, err = io.StringIO(), io.StringIO()
    command = Command(stdout=out, stderr=err)
    try:
        command.run_from_argv(["onewindow", "workdays", *args])
        status = 0
    except SystemExit as exc:
        status = exc.code
    return status, out.getvalue(), err.getvalue()


def last_line(text):
    return text.strip().splitlines()[-1]


def test_add_prints_the_deadline_as_the_last_line():
    status, out, err = run("add", "2026-09-30", "5")
    assert (status, last_line(out), err) == (0, "2026-10-13", "")


def test_between_prints_the_count():
    status, out, _ = run("between", "2026-09-30", "2026-10-13")
    assert (status, last_line(out)) == (0, "5")


def test_a_suspension_moves_the_deadline():
    _, out, _ = run("add", "2026-09-30", "5", "--suspend", "2026-10-08..2026-10-09")
    assert last_line(out) == "2026-10-15"


def test_a_provisional_result_warns_on_stderr_first():
    status, out, err = run("add", "2026-12-30", "5")
    assert (status, last_line(out)) == (0, "2027-01-06")
    assert "2027" in err and "暂定" in err


def test_check_of_an_unknown_year_says_so_and_exits_1():
    status, out, _ = run("check", "2027")
    assert status == 1
    assert "2027 年的节假日安排尚未录入" in out


def test_check_of_a_known_year_exits_0():
    status, out, _ = run("check", "2026")
    assert status == 0
    assert "已录入" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "2026-13-01", "5"], "日期格式有误"),
        (["add", "2026-09-30", "-1"], "工作日数须为 0 至 3650"),
        (["add", "2026-09-30", "五"], "工作日数须为 0 至 3650"),
        (["between", "2026-09-30", "yesterday"], "日期格式有误"),
        (["add", "2026-09-30", "5", "--suspend", "2026-10-09..2026-10-08"], "结束日期不能早于开始日期"),
        (["check", "next"], "年份格式有误"),
        (["add", "2199-12-01", "3650"], "日期须在 1950 年至 2199 年之间"),
    ],
)
def test_bad_input_gets_a_chinese_message_and_exit_2(args, message, capsys):
    status, _, err = run(*args)
    printed = err + capsys.readouterr().err  # argparse writes its errors to sys.stderr
    assert status == 2
    assert message in printed
    assert "Traceback" not in printed


def test_seed_reports_what_it_did():
    out = io.StringIO()
    call_command("workdays", "seed", stdout=out)
    assert "已从 chinesecalendar 补录 2004–2026 年" in out.getvalue()
    assert "新增日期 0 天" in out.getvalue()
