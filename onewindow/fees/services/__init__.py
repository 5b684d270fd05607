"""Every write of fees: one transaction each, one audit event inside it. By sub-domain:

- catalogue.py: fee items, where they attach, policies (create, end, revise)
- opening.py:   the bill of a charging stage, opened with the stage (a listener of cases' stage hooks)
"""

from onewindow.fees.services.catalogue import (
    FeeRuleInvalid,
    fee_item_attach,
    fee_item_create,
    fee_policy_create,
    fee_policy_end,
    fee_policy_revise,
    stage_fee_rule_set,
)
from onewindow.fees.services.opening import BILL_TARGET, bill_on_stage_open

__all__ = [
    "BILL_TARGET",
    "FeeRuleInvalid",
    "bill_on_stage_open",
    "fee_item_attach",
    "fee_item_create",
    "fee_policy_create",
    "fee_policy_end",
    "fee_policy_revise",
    "stage_fee_rule_set",
]
