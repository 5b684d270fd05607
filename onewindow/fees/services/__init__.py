"""Every write of fees: one transaction each, one audit event inside it. By sub-domain:

- catalogue.py: fee items, where they attach, policies (create, end, revise)
- opening.py:   the bill of a charging stage, opened with the stage (a listener of cases' stage hooks)
- checks.py:    the departments' fee checks: correcting a line, sealing a check, issuing the bill
- warnings.py:  the bills' warning levels (a periodic job)
"""

from onewindow.fees.services.catalogue import (
    FeeRuleInvalid,
    fee_item_attach,
    fee_item_create,
    fee_policy_create,
    fee_policy_end,
    fee_policy_revise,
)
from onewindow.fees.services.checks import fee_check_seal, fee_line_correct
from onewindow.fees.services.opening import BILL_TARGET, bill_on_stage_open
from onewindow.fees.services.warnings import bill_warning_levels_refresh

__all__ = [
    "BILL_TARGET",
    "FeeRuleInvalid",
    "bill_on_stage_open",
    "bill_warning_levels_refresh",
    "fee_check_seal",
    "fee_item_attach",
    "fee_item_create",
    "fee_line_correct",
    "fee_policy_create",
    "fee_policy_end",
    "fee_policy_revise",
]
