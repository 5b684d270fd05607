from __future__ import annotations

import os
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from onewindow.audit import domain, signing
from onewindow.audit.context import request_id_var
from onewindow.audit.models import Checkpoint, Event, StreamHead
from onewindow.audit.services import audit_record, checkpoint_create, checkpoint_signed_bytes, pseudonym
from onewindow.audit.tasks import schedules
from onewindow.audit.tests.factories import OrganisationFactory, record, staff
from onewindow.jobs.schedules import Schedule

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)
def test_audit_record_refuses_to_write_outside_a_transaction():
    with pytest.raises(RuntimeError, match="inside the service's transaction"):
        audit_record(stream="case:1", action="cases.case_accepted", target_type="cases.case", target_id=1)
    assert not Event.objects.exists()


def test_events_of_a_stream_are_numbered_and_linked_by_hash():
    events = record("case:1", 3)
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == domain.GENESIS_HASH
    assert events[1].prev_hash == events[0].hash and events[2].prev_hash == events[1].hash
    assert StreamHead.objects.get(stream="case:1").seq == 3


def test_the_stored_event_rehashes_to_its_hash_with_the_recorded_algorithm(settings):
    settings.AUDIT_HASH_ALGORITHM = "sha256"
    organisation = OrganisationFactory()
    actor = staff(organisation=organisation)
    with transaction.atomic():
        audit_record(
            stream="matter:9",
            action="catalogue.matter_published",
            target_type="catalogue.matter",
            target_id=9,
            actor=actor,
            organisation=organisation,
            changes={"status": ["draft", "published"], "phone": pseudonym("13800138000")},
        )
    stored = Event.objects.get(stream="matter:9")
    assert stored.algorithm == "sha256"
    assert (stored.actor_id, stored.organisation_id) == (actor.pk, organisation.pk)
    assert domain.event_hash("sha256", stored.payload(), stored.prev_hash) == stored.hash
    assert "13800138000" not in str(stored.changes)


def test_the_request_id_is_recorded():
    token = request_id_var.set("req-42")
    try:
        [event] = record("case:1")
    finally:
        request_id_var.reset(token)
    assert Event.objects.get(pk=event.pk).request_id == "req-42"


def test_a_rolled_back_service_leaves_no_event_and_no_gap():
    record("case:1")
    with pytest.raises(ValueError), transaction.atomic():
        audit_record(stream="case:1", action="cases.case_accepted", target_type="cases.case", target_id=1)
        raise ValueError("the service failed after auditing")
    [event] = record("case:1")
    assert event.seq == 2


def test_a_checkpoint_signs_every_streams_head():
    record("case:1", 2)
    record("case:2", 3)
    checkpoint = checkpoint_create()
    assert checkpoint is not None
    assert checkpoint.heads == [["case:1", 2, StreamHead.objects.get(stream="case:1").hash], checkpoint.heads[1]]
    assert (checkpoint.stream_count, checkpoint.event_count) == (2, 5)
    assert checkpoint.root == domain.heads_root("sm3", checkpoint.heads)
    stored = Checkpoint.objects.get(pk=checkpoint.pk)
    assert signing.verify_signature(
        stored.signature_scheme, stored.public_key, checkpoint_signed_bytes(stored), stored.signature
    )


def test_the_periodic_checkpoint_is_skipped_when_nothing_was_written_since_the_last():
    record("case:1")
    assert checkpoint_create() is not None
    assert checkpoint_create() is None
    record("case:1")
    assert checkpoint_create() is not None
    assert checkpoint_create(force=True) is not None
    assert Checkpoint.objects.count() == 3


def test_the_scheduler_reads_the_checkpoint_job_and_its_interval(settings):
    settings.AUDIT_CHECKPOINT_INTERVAL_SECONDS = 60
    assert schedules() == [Schedule("audit.checkpoint", "* * * * *", checkpoint_create)]  # every minute
    settings.AUDIT_CHECKPOINT_INTERVAL_SECONDS = 300
    assert schedules()[0].cron == "*/5 * * * *"


def test_in_debug_without_a_key_one_is_generated_once_and_kept_private(settings, tmp_path):
    settings.AUDIT_SIGNING_KEY = ""
    settings.DEBUG = True
    first = signing.get_signer().public_key_pem()
    key_file = tmp_path / signing.DEBUG_KEY_NAME
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    signing._signer_from.cache_clear()
    assert signing.get_signer().public_key_pem() == first


def test_the_key_can_come_from_a_file(settings, tmp_path):
    key_file = tmp_path / "key.pem"
    key_file.write_bytes(signing.generate_private_key_pem())
    settings.AUDIT_SIGNING_KEY = ""
    settings.AUDIT_SIGNING_KEY_FILE = str(key_file)
    assert signing.get_signer().scheme == "ed25519"


def test_a_key_that_is_not_ed25519_is_refused_with_the_variable_named(settings):
    settings.AUDIT_SIGNING_KEY = "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n"
    with pytest.raises(ImproperlyConfigured, match="AUDIT_SIGNING_KEY"):
        signing.get_signer()


def test_without_debug_and_without_a_key_nothing_is_signed(settings):
    settings.AUDIT_SIGNING_KEY = ""
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured, match="AUDIT_SIGNING_KEY_FILE"):
        signing.get_signer()
