"""Every write of fees: one transaction each, one audit event inside it. By sub-domain:

- catalogue.py: fee items, where they attach, policies (create, end, revise)
- opening.py:   the bill of a charging stage, opened with the stage (a listener of cases' stage hooks)
- payments.py:  paying a bill through a provider, the provider's callbacks (once, under the bill's lock)
- receipts.py:  the electronic receipts of a paid bill (one per collecting department and account)
- refunds.py:   refunds of a paid line, with reasons
- cancelling.py: a case withdrawn or refused voids its unpaid bills (a listener of cases' endings)
- checks.py:    the departments' fee checks: correcting a line, sealing a check, issuing the bill
- warnings.py:  the bills' warning levels (a periodic job)
"""

from onewindow.fees.services.cancelling import bills_cancel_on_case_end
from onewindow.fees.services.catalogue import (
    FeeRuleInvalid,
    fee_item_attach,
    fee_item_create,
    fee_policy_create,
    fee_policy_end,
    fee_policy_revise,
    stage_fee_rule_set,
    stage_fees_carry,
)
from onewindow.fees.services.checks import fee_check_seal, fee_line_correct
from onewindow.fees.services.opening import BILL_TARGET, bill_on_stage_open
from onewindow.fees.services.payments import (
    CallbackResult,
    CallbackSignatureInvalid,
    PaymentStarted,
    payment_callback,
    payment_start,
)
from onewindow.fees.services.refunds import refund_create
from onewindow.fees.services.warnings import bill_warning_levels_refresh

__all__ = [
    "BILL_TARGET",
    "CallbackResult",
    "CallbackSignatureInvalid",
    "FeeRuleInvalid",
    "PaymentStarted",
    "bill_on_stage_open",
    "bill_warning_levels_refresh",
    "bills_cancel_on_case_end",
    "fee_check_seal",
    "fee_item_attach",
    "fee_item_create",
    "fee_line_correct",
    "fee_policy_create",
    "fee_policy_end",
    "fee_policy_revise",
    "payment_callback",
    "payment_start",
    "refund_create",
    "stage_fee_rule_set",
    "stage_fees_carry",
]
