"""`onewindow audit verify` finds every kind of tampering and names where the chain breaks."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from onewindow.audit import checks, domain, registry, signing, triggers, verification
from onewindow.audit.models import Event, StreamHead
from onewindow.audit.services import checkpoint_create
from onewindow.audit.tests.factories import record

pytestmark = pytest.mark.django_db


def run_audit(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue() + str(exc)
    return 0, out.getvalue(), err.getvalue()


def behind_the_platforms_back(*statements: tuple[str, list]) -> None:
    """What an attacker with database access does: lift the triggers, write, put them back."""
    triggers.remove(connection)
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
    triggers.install(connection)


def test_a_clean_log_verifies_and_says_how_many_events_and_how_fast():
    record("case:1", 3)
    record("case:2", 2)
    call_command("audit", "checkpoint")
    code, out, _ = run_audit("verify", "--chunk-size", "2")
    assert code == 0
    assert "已校验 5 个事件、2 条流、1 个检查点" in out
    assert "事件/秒" in out and "未发现断链" in out


def test_an_event_edited_behind_the_platforms_back_is_named_by_stream_and_seq():
    record("case:1", 2)
    record("case:7", 4)
    target = Event.objects.get(stream="case:7", seq=3)
    behind_the_platforms_back(("UPDATE audit_event SET changes = %s WHERE id = %s", ['{"fee": 0}', target.pk]))
    code, _, err = run_audit("verify")
    assert code == 1
    assert "case:7 第 3 号" in err
    assert "case:1" not in err


def test_events_deleted_from_the_end_of_a_stream_are_caught_by_the_exported_checkpoint(tmp_path):
    record("case:1", 5)
    record("case:2", 1)
    export = tmp_path / "checkpoint.json"
    call_command("audit", "checkpoint", "--export", str(export), stdout=StringIO())
    assert run_audit("verify", "--checkpoint", str(export))[0] == 0
    # The attacker also rewinds the head row and deletes the stored checkpoints: the database looks whole.
    head_hash = Event.objects.get(stream="case:1", seq=3).hash
    behind_the_platforms_back(
        ("DELETE FROM audit_event WHERE stream = %s AND seq > %s", ["case:1", 3]),
        ("UPDATE audit_streamhead SET seq = 3, hash = %s WHERE stream = %s", [head_hash, "case:1"]),
        ("DELETE FROM audit_checkpoint", []),
    )
    assert run_audit("verify")[0] == 0
    code, _, err = run_audit("verify", "--checkpoint", str(export))
    assert code == 1
    assert "case:1 第 5 号" in err and "被删除" in err


def test_a_tail_deleted_without_rewinding_the_head_is_caught_by_plain_verify():
    record("case:1", 4)
    behind_the_platforms_back(("DELETE FROM audit_event WHERE stream = %s AND seq = %s", ["case:1", 4]))
    code, _, err = run_audit("verify")
    assert code == 1
    assert "case:1 第 4 号" in err


def test_history_rewritten_consistently_is_caught_by_the_stored_checkpoint():
    record("case:1", 3)
    call_command("audit", "checkpoint", stdout=StringIO())
    # Rewrite event 3 and recompute its hash and the head: the chain itself is consistent again.
    event = Event.objects.get(stream="case:1", seq=3)
    event.changes = {"decision": "approved"}
    new_hash = domain.event_hash(event.algorithm, event.payload(), event.prev_hash)
    behind_the_platforms_back(
        (
            "UPDATE audit_event SET changes = %s, hash = %s WHERE id = %s",
            ['{"decision": "approved"}', new_hash, event.pk],
        ),
        ("UPDATE audit_streamhead SET hash = %s WHERE stream = %s", [new_hash, "case:1"]),
    )
    code, _, err = run_audit("verify")
    assert code == 1
    assert "case:1 第 3 号" in err and "历史被改写" in err


def test_a_forged_checkpoint_signature_is_caught(tmp_path):
    record("case:1", 2)
    export = tmp_path / "checkpoint.json"
    call_command("audit", "checkpoint", "--export", str(export), stdout=StringIO())
    document = json.loads(export.read_text())
    document["heads"][0][1] = 1
    document["event_count"] = 1
    document["heads"][0][2] = Event.objects.get(stream="case:1", seq=1).hash
    document["root"] = domain.heads_root(document["algorithm"], document["heads"])
    export.write_text(json.dumps(document))
    code, _, err = run_audit("verify", "--checkpoint", str(export))
    assert code == 1
    assert "签名无效" in err


def test_a_file_that_is_not_a_checkpoint_export_gets_a_clear_message(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"hello": 1}')
    code, _, err = run_audit("verify", "--checkpoint", str(bad))
    assert code == 1
    assert "不是留痕检查点导出文件" in err
    assert "无法读取" in run_audit("verify", "--checkpoint", str(tmp_path / "missing.json"))[2]


def test_the_exported_checkpoint_is_self_contained_json(tmp_path):
    record("case:1", 2)
    export = tmp_path / "checkpoint.json"
    call_command("audit", "checkpoint", "--export", str(export), stdout=StringIO())
    document = json.loads(export.read_text())
    assert document["type"] == "onewindow.audit.checkpoint/1"
    assert document["public_key"].startswith("-----BEGIN PUBLIC KEY-----")
    assert document["heads"] == [["case:1", 2, StreamHead.objects.get(stream="case:1").hash]]


# --- whose key signed the checkpoints ----------------------------------------------------------


def public_pem(private_pem: str) -> str:
    return signing._load(private_pem.encode(), "test").public_key_pem()


def sign_checkpoint_with(settings, private_pem: str):
    """A checkpoint signed by another key than the deployment's, as a forger with database access makes one."""
    own = settings.AUDIT_SIGNING_KEY
    settings.AUDIT_SIGNING_KEY = private_pem
    try:
        return checkpoint_create(force=True)
    finally:
        settings.AUDIT_SIGNING_KEY = own


def test_a_checkpoint_signed_by_a_key_the_deployment_does_not_know_is_a_break(settings):
    record("case:1", 2)
    checkpoint_create(force=True)
    forged = sign_checkpoint_with(settings, signing.generate_private_key_pem().decode())
    code, out, err = run_audit("verify")
    assert code == 1
    assert f"检查点 #{forged.pk}：由未登记的公钥 {forged.key_fingerprint} 签名" in err
    assert "检查点可能是伪造的" in err
    assert f"{forged.key_fingerprint}（未登记的密钥）" in out
    assert f"{signing.key_fingerprint(public_pem(settings.AUDIT_SIGNING_KEY))}（本部署的签名密钥）" in out


def test_many_checkpoints_of_an_unknown_key_are_one_break_naming_them(settings):
    record("case:1", 1)
    other = signing.generate_private_key_pem().decode()
    first, _, last = (sign_checkpoint_with(settings, other) for _ in range(3))
    code, _, err = run_audit("verify")
    assert code == 1
    assert err.count("由未登记的公钥") == 1
    assert f"检查点 #{first.pk} 至 #{last.pk} 中的 3 个检查点" in err


def test_after_a_key_rotation_old_checkpoints_verify_once_the_old_public_key_is_listed_as_retired(settings, tmp_path):
    old_key = settings.AUDIT_SIGNING_KEY
    record("case:1", 2)
    checkpoint_create(force=True)
    settings.AUDIT_SIGNING_KEY = signing.generate_private_key_pem().decode()  # the rotation
    record("case:1", 1)
    checkpoint_create(force=True)
    assert run_audit("verify")[0] == 1
    retired = tmp_path / "retired-audit-keys.pem"
    retired.write_text(public_pem(signing.generate_private_key_pem().decode()) + public_pem(old_key))
    settings.AUDIT_RETIRED_PUBLIC_KEYS_FILE = str(retired)
    code, out, _ = run_audit("verify")
    assert code == 0
    assert f"{signing.key_fingerprint(public_pem(old_key))}（已登记的旧密钥）" in out


def test_an_exported_checkpoint_signed_by_another_key_is_refused_though_its_signature_is_valid(settings, tmp_path):
    record("case:1", 2)
    export = tmp_path / "checkpoint.json"
    forged = sign_checkpoint_with(settings, signing.generate_private_key_pem().decode())
    export.write_text(json.dumps(verification.checkpoint_as_export(forged)))
    code, _, err = run_audit("verify", "--checkpoint", str(export))
    assert code == 1
    assert "导出的检查点：由未登记的公钥" in err
    assert "签名无效" not in err


def test_a_checkpoint_whose_recorded_fingerprint_is_not_its_keys_is_a_break(settings):
    record("case:1", 1)
    checkpoint = checkpoint_create(force=True)
    behind_the_platforms_back(
        ("UPDATE audit_checkpoint SET key_fingerprint = %s WHERE id = %s", ["sha256:" + "0" * 64, checkpoint.pk])
    )
    code, _, err = run_audit("verify")
    assert code == 1
    assert f"检查点 #{checkpoint.pk}：记录的公钥指纹 sha256:{'0' * 64} 与所附公钥" in err


def test_an_unusable_retired_keys_file_is_reported_not_ignored(settings, tmp_path):
    record("case:1", 1)
    broken = tmp_path / "retired.pem"
    broken.write_text("not a key")
    settings.AUDIT_RETIRED_PUBLIC_KEYS_FILE = str(broken)
    [error] = checks.check_retired_public_keys()
    assert error.id == "audit.E004" and "holds no PEM public key" in error.msg
    code, _, err = run_audit("verify")
    assert code == 1 and "AUDIT_RETIRED_PUBLIC_KEYS_FILE" in err
    settings.AUDIT_RETIRED_PUBLIC_KEYS_FILE = str(tmp_path / "missing.pem")
    assert checks.check_retired_public_keys()[0].id == "audit.E004"


# --- checks the apps register ------------------------------------------------------------------


def test_verify_runs_the_consistency_checks_apps_registered_and_reports_their_breaks(monkeypatch):
    record("thing:1", 2)
    pages = []

    def things_check(chunk_size):
        pages.append(chunk_size)
        yield 3, []
        yield 2, [domain.Break("thing:1", 2, "物品的状态与留痕事件不符")]

    monkeypatch.setitem(registry._CONSISTENCY_CHECKS, "物品", things_check)
    code, out, err = run_audit("verify", "--chunk-size", "7")
    assert pages == [7]
    assert code == 1
    assert "已核对 5 个物品与留痕事件是否一致" in out
    assert "thing:1 第 2 号：物品的状态与留痕事件不符" in err
