"""What the audit log's pages call the fees' events (`audit.labels`)."""

from django.utils.translation import gettext_noop as _

AUDIT_LABELS = {
    "fee_item.created": _("新增收费项目"),
    "fee_item.attached": _("收费项目挂接"),
    "fee_policy.created": _("新增收费政策"),
    "fee_policy.ended": _("收费政策终止"),
    "fee_policy.revised": _("收费政策修订"),
    "fee_stage_rule.set": _("设置阶段收费规则"),
    "fees.bill_opened": _("推送收费核定"),
    "fees.line_corrected": _("更正缴款明细"),
    "fees.check_sealed": _("收费核定签章"),
    "fees.bill_issued": _("出具缴款通知书"),
    "fees.payment_started": _("发起缴款"),
    "fees.payment_failed": _("缴款未成功"),
    "fees.callback_amount_mismatch": _("支付通知金额不符"),
    "fees.duplicate_payment": _("重复缴款待退"),
    "fees.bill_not_payable": _("不可缴款时收到款项"),
    "fees.bill_paid": _("缴款完成"),
    "fees.refunded": _("退款"),
    "fees.bill_cancelled": _("缴款通知书作废"),
}
