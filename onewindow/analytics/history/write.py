"""Write a planned year of cases with `bulk_create`, batch by batch, as the services would have written it.

`history_write(n, seed=…)` reads what may be applied for and who acts (`world.py`), plans N cases
(`plan.py`), plays each one's steps into rows (`steps.py`) and inserts a batch of cases at a time in one
transaction: applicants (each with an online account, registered with its `orgs.applicant_registered`
event), cases, matters, materials, correction notices, tasks, clock stops, the departments reached, the
timeline, and each case's audit events chained on its own stream exactly as `audit_record_many` chains
them (same payload, algorithm setting, `prev_hash`, `seq`, stream heads). The day's case-number sequences
end where the history left them, so a real submission afterwards takes the next number. The warning
levels of the cases still open, and of the bills still in their checks, are then set by their own jobs
(`warning_levels_refresh`, `bill_warning_levels_refresh`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from onewindow import clock
from onewindow.analytics.history import play
from onewindow.analytics.history.certificates import CERTIFICATE_DAYS, certificates_issue_recent
from onewindow.analytics.history.forms import (
    credit_code,
    enterprise_name,
    form_values,
    industry_drawn,
    industry_draws,
    person_name,
    project_drawn,
    resident_id,
)
from onewindow.analytics.history.green import GreenWorld, green_world
from onewindow.analytics.history.insert import rows_insert, values_insert
from onewindow.analytics.history.plan import (
    DAYS,
    ENTERPRISE,
    SHANGHAI,
    WINDOW,
    PlannedCase,
    ProductSpec,
    plan_history,
)
from onewindow.analytics.history.plan_green import plan_green
from onewindow.analytics.history.plan_ratings import PlannedRating, plan_ratings
from onewindow.analytics.history.ratings import MODELS as EVALUATION_MODELS
from onewindow.analytics.history.ratings import EvaluationRows, Evaluations
from onewindow.analytics.history.reform import HistoryReform, history_reform_apply
from onewindow.analytics.history.world import Product, products_load
from onewindow.audit import domain as audit_domain
from onewindow.audit.context import current_request_id
from onewindow.audit.models import Event, StreamHead
from onewindow.audit.services import AuditEntry, pseudonym
from onewindow.cases.domain import case_number
from onewindow.cases.models import (
    Case,
    CaseDepartment,
    CaseMaterial,
    CaseMatter,
    CaseSequence,
    ClockStop,
    CorrectionNotice,
    Task,
    TimelineEntry,
)
from onewindow.cases.services.supervision import warning_levels_refresh
from onewindow.evaluation.models import FollowUp, Invitation, Rating, ReasonTag
from onewindow.fees.domain import INDUSTRY_FIELD
from onewindow.fees.models import Bill, BillLine, FeeCheck, Payment, PaymentCallback, Receipt
from onewindow.fees.services import bill_warning_levels_refresh
from onewindow.orgs.models import Applicant, User
from onewindow.workdays.selectors import work_calendar

BATCH = 2000
PLACEHOLDER_PDF = (
    b"%PDF-1.4\n% onewindow history placeholder\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PLACEHOLDER_NAME = "cases/history/history-placeholder.pdf"
USERNAME_PREFIX = "history-"
MODELS = (
    *(User, Applicant, Case, CaseMatter, CaseMaterial, CorrectionNotice, Task, ClockStop, TimelineEntry),
    *(Bill, FeeCheck, BillLine, Payment),
    *EVALUATION_MODELS,
)


@dataclass(frozen=True)
class HistorySummary:
    cases: int
    events: int
    applicants: int
    by_status: dict[str, int]
    certificates: int = 0
    reform: HistoryReform | None = None


def history_write(
    n: int,
    *,
    seed: int = 17,
    now: dt.datetime | None = None,
    progress: Callable[[str], None] | None = None,
    certificate_days: int = CERTIFICATE_DAYS,
    reform: bool = False,
    investment_weight: float | None = None,
) -> HistorySummary:
    """Plan and write N cases over the year before `now` (the told time by default); the certificates of those
    decided in the last `certificate_days` days (certificates.py); with `reform`, on the first history written
    here, last spring's reform first (`reform.py`: the versions the cases are filed under before and after it).
    `investment_weight`: a scale test's mix, the charging bundles' weight instead of `world.INVESTMENT_WEIGHT`
    (the bench's five review tasks a case)."""
    now = now or clock.now()
    first_day = now.astimezone(SHANGHAI).date() - dt.timedelta(days=DAYS)
    reformed = None
    if reform and not history_exists():  # a reform made under cases already written would contradict them
        reformed = history_reform_apply(today=first_day + dt.timedelta(days=DAYS), first_day=first_day)
    products = products_load(since=first_day)
    if not products:
        return HistorySummary(0, 0, 0, {})
    calendar = work_calendar()
    specs, green = [_weighed(p.spec, investment_weight) for p in products], green_world(products)
    planned = plan_history(products=specs, calendar=calendar, seed=seed, n=n, now=now)
    planned = plan_green(planned, products=specs, eligible=green.eligible, calendar=calendar, seed=seed, now=now)
    ratings = plan_ratings(planned, seed=seed, now=now, calendar=calendar, tags=reason_tags(), **follow_up_days())
    _placeholder()
    after_case_id = Case.objects.aggregate(top=Max("pk"))["top"] or 0
    writer = _Writer(products, calendar, green)
    if planned:
        writer.sequences_load(planned[0].submitted_at.date() - dt.timedelta(days=1))
    for start in range(0, len(planned), BATCH):
        writer.batch(planned[start : start + BATCH], ratings[start : start + BATCH])
        if progress is not None:
            progress(f"{min(start + BATCH, len(planned))}/{len(planned)}")
    writer.sequences_save()
    _sequences_reset()
    with clock.told_at(now):
        warning_levels_refresh()
        bill_warning_levels_refresh()
    certificates = certificates_issue_recent(after_case_id=after_case_id, now=now, days=certificate_days)
    return HistorySummary(
        len(planned), writer.event_count, len(writer.applicants), writer.by_status, certificates, reformed
    )


def _weighed(spec: ProductSpec, investment_weight: float | None) -> ProductSpec:
    return replace(spec, weight=investment_weight) if spec.bills and investment_weight is not None else spec


def reason_tags() -> list[str]:
    """The reason codes the rating form offers (the admin's active ones)."""
    return list(ReasonTag.objects.filter(is_active=True).order_by("order", "code").values_list("code", flat=True))


def follow_up_days() -> dict[str, int]:
    return {"verify_days": settings.EVALUATION_VERIFY_DAYS, "answer_days": settings.EVALUATION_ANSWER_DAYS}


def history_exists() -> bool:
    """Whether a history was written here already (its applicants' accounts are named history-<id>)."""
    return User.objects.filter(username__startswith=USERNAME_PREFIX).exists()


def _placeholder() -> None:
    if not default_storage.exists(PLACEHOLDER_NAME):
        default_storage.save(PLACEHOLDER_NAME, ContentFile(PLACEHOLDER_PDF))
    play.PLACEHOLDER_FILE.update(
        file=PLACEHOLDER_NAME,
        sha256=hashlib.sha256(PLACEHOLDER_PDF).hexdigest(),
        size=len(PLACEHOLDER_PDF),
        content_type="application/pdf",
    )


class _Writer:
    def __init__(self, products: Sequence[Product], calendar: Any, green: GreenWorld) -> None:
        self.products, self.calendar, self.green = products, calendar, green
        self.ids = play.Ids()
        for model in MODELS:
            self.ids.start(model, model._default_manager.aggregate(top=Max("pk"))["top"] or 0)
        self.applicants: dict[int, Applicant] = {}
        self.sequences: dict[tuple[str, dt.date], int] = {}
        self.sequences_known: set[tuple[str, dt.date]] = set()
        self.forms = {id(p): form_values(p.source.form_schema) for p in products}
        self.industries = {id(p): industry_draws(p.source.form_schema) for p in products}
        self.password = make_password(None)
        self.evaluations = Evaluations(self.ids, calendar, **follow_up_days())
        self.event_count = 0
        self.by_status: dict[str, int] = {}

    def sequences_load(self, since: dt.date) -> None:
        """The days' sequences the history may continue (one read)."""
        known = CaseSequence.objects.filter(on__gte=since).values_list("region_code", "on", "last")
        self.sequences = {(code, on): last for code, on, last in known}
        self.sequences_known = set(self.sequences)

    def _form(self, product: Product, case_id: int) -> dict[str, Any]:
        """The product's form for one case: the same values, the enterprise's industry and a project's size
        drawn for it."""
        form = dict(self.forms[id(product)])
        if draws := self.industries[id(product)]:
            form[INDUSTRY_FIELD] = industry_drawn(draws, case_id)
        form.update(project_drawn(form, case_id))
        return form

    def _next_number(self, region_code: str, on: dt.date) -> str:
        key = (region_code, on)
        self.sequences[key] = self.sequences.get(key, 0) + 1
        return case_number(region_code, on, self.sequences[key])

    def batch(self, planned: Sequence[PlannedCase], ratings: Sequence[PlannedRating | None]) -> None:
        rows, users, applicants = play.Rows(), [], []
        evaluation = EvaluationRows()
        registrations: list[tuple[Applicant, User]] = []
        for number, (case_plan, rating) in enumerate(zip(planned, ratings, strict=True)):
            product = self.products[case_plan.product]
            applicant = self.applicants.get(case_plan.applicant)
            if applicant is None:
                applicant, user = self._applicant(case_plan)
                users.append(user)
                applicants.append(applicant)
                registrations.append((applicant, user))
            case = self._play(case_plan, product, applicant, rows, seed=number + len(rows.cases))
            self.evaluations.case_ended(case, product, case_plan, rating, evaluation)
        with transaction.atomic():
            rows_insert(User, users)
            rows_insert(Applicant, applicants)
            self._insert(rows, evaluation)
            self._events(rows, registrations, evaluation.streams)
        for case in rows.cases:
            self.by_status[case.status] = self.by_status.get(case.status, 0) + 1

    def _applicant(self, case_plan: PlannedCase) -> tuple[Applicant, User]:
        pk = self.ids.next(Applicant)
        user = User(id=self.ids.next(User), username=f"{USERNAME_PREFIX}{pk}", password=self.password)
        if case_plan.applicant_kind == ENTERPRISE:
            applicant = Applicant(
                id=pk,
                kind=ENTERPRISE,
                name=enterprise_name(pk),
                id_number=credit_code(pk),
                legal_representative=person_name(pk * 31),
                user=user,
            )
        else:
            applicant = Applicant(id=pk, kind="person", name=person_name(pk), id_number=resident_id(pk), user=user)
        user.name = applicant.name
        self.applicants[case_plan.applicant] = applicant
        return applicant, user

    def _play(self, plan: PlannedCase, product: Product, applicant: Applicant, rows: play.Rows, seed: int) -> Case:
        window = plan.channel == WINDOW
        case = Case(
            id=self.ids.next(Case),
            status="draft",
            channel=plan.channel,  # window, online or app (the plan's names are the case's channels)
            applicant=applicant,
            region=product.region,
            matter_version=product.matter_version,
            bundle_version=product.bundle_version,
            title=product.source.title,
            submitted_by=product.clerk if window else applicant.user,
        )
        rows.cases.append(case)
        case_play = play.CasePlay(
            product=product, case=case, applicant=applicant, rows=rows, ids=self.ids, calendar=self.calendar
        )
        corrected = True
        for step in plan.steps:
            if step.action == "submit":
                on = step.at.astimezone(timezone.get_default_timezone()).date()
                case_play.submit(step, self._next_number(product.region.code, on), self._form(product, case.id))
            elif step.action == "request_correction":
                corrected = case_play.request_correction(step, seed)
            elif step.action == "resubmit":
                if corrected:
                    case_play.resubmit(step)
            elif step.action in ("refuse", "accept", "decide", "bill_seal", "bill_pay"):
                getattr(case_play, step.action)(step)
            elif step.action == "withdraw":
                case_play.withdraw(step, seed)
            elif step.action == "green_channel":
                case_play.green_channel(step, self.green.office, self.green.agent)
            else:
                case_play.task_step(step, seed)
        return case

    def _insert(self, rows: play.Rows, evaluation: EvaluationRows) -> None:
        rows_insert(Case, rows.cases)
        rows_insert(CaseMatter, rows.matters)
        rows_insert(CaseMaterial, rows.materials)
        rows_insert(CorrectionNotice, rows.notices)
        rows_insert(Task, list(rows.tasks.values()))
        rows_insert(ClockStop, list(rows.stops.values()))
        rows_insert(CaseDepartment, rows.departments, with_pk=False)
        rows_insert(TimelineEntry, rows.timeline)
        for model, bill_rows in ((Bill, rows.bills), (FeeCheck, rows.checks), (BillLine, rows.lines)):
            rows_insert(model, bill_rows)
        rows_insert(Payment, rows.payments)
        rows_insert(PaymentCallback, rows.callbacks, with_pk=False)
        rows_insert(Receipt, rows.receipts, with_pk=False)
        rows_insert(Invitation, evaluation.invitations)
        rows_insert(Rating, evaluation.ratings)
        rows_insert(FollowUp, evaluation.follow_ups)

    def _events(
        self, rows: play.Rows, registrations: list[tuple[Applicant, User]], more: dict[str, list[AuditEntry]]
    ) -> None:
        """Each stream's events chained from genesis (every stream here is new), as `_chain` does."""
        streams: dict[str, list[AuditEntry]] = {}
        for applicant, user in registrations:
            changes = {"kind": applicant.kind, "id_number": pseudonym(applicant.id_number)}
            streams[f"applicant:{applicant.pk}"] = [
                AuditEntry("orgs.applicant_registered", "orgs.applicant", applicant.pk, user, None, changes)
            ]
        for case_id, entries in rows.events.items():
            streams[f"case:{case_id}"] = entries
        streams.update(rows.streams)  # 一单收费's (fee_bill:)
        streams.update(more)  # 好差评's streams (evaluation_case:, evaluation_rating:)
        events, heads = [], []
        for stream, entries in streams.items():
            chained = list(_chain(stream, entries))
            events.extend(chained)
            heads.append(StreamHead(stream=stream, seq=chained[-1]["seq"], hash=chained[-1]["hash"]))
        values_insert(Event, events)
        rows_insert(StreamHead, heads)
        self.event_count += len(events)

    def sequences_save(self) -> None:
        with transaction.atomic():
            new = []
            for (code, on), last in self.sequences.items():
                if (code, on) in self.sequences_known:
                    CaseSequence.objects.filter(region_code=code, on=on).update(last=last)
                else:
                    new.append(CaseSequence(region_code=code, on=on, last=last))
            CaseSequence.objects.bulk_create(new, batch_size=500)


def _chain(stream: str, entries: Sequence[AuditEntry]) -> Iterator[dict[str, Any]]:
    """audit.services._chain for a new stream: seq 1.., genesis hash first, the real time of writing; the
    event's stored values (Event's columns), hashed over the same payload (`audit.domain.event_payload`)."""
    algorithm, request_id, occurred_at = settings.AUDIT_HASH_ALGORITHM, current_request_id(), timezone.now()
    head_hash = audit_domain.GENESIS_HASH
    for seq, entry in enumerate(entries, start=1):
        values: dict[str, Any] = {
            "stream": stream,
            "seq": seq,
            "occurred_at": occurred_at,
            "actor_id": entry.actor.pk if entry.actor is not None else None,
            "organisation_id": entry.organisation.pk if entry.organisation is not None else None,
            "action": entry.action,
            "target_type": entry.target_type,
            "target_id": str(entry.target_id),
            "changes": audit_domain.normalise_changes(entry.changes),
            "request_id": request_id,
            "algorithm": algorithm,
            "prev_hash": head_hash,
        }
        values["hash"] = head_hash = audit_domain.event_hash(algorithm, audit_domain.event_payload(values), head_hash)
        yield values


def _sequences_reset() -> None:
    """PostgreSQL: the id sequences continue after the ids given here (SQLite's AUTOINCREMENT does itself)."""
    if connection.vendor != "postgresql":
        return
    statements = connection.ops.sequence_reset_sql(no_style(), list(MODELS))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
