"""Human-readable labels for audit actions. Apps add theirs at start-up:

    register_action_labels({"catalogue.matter_published": "发布事项"})

(call it in the app's AppConfig.ready()). An action without a label shows as its code.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext, gettext_noop

ACTION_LABELS: dict[str, str] = {
    "orgs.applicant_registered": gettext_noop("登记申请人"),
    "orgs.role_bootstrapped": gettext_noop("初始化管理员角色"),
    "orgs.role_granted": gettext_noop("授予角色"),
    "orgs.role_revoked": gettext_noop("撤销角色"),
}


def register_action_labels(labels: Mapping[str, str]) -> None:
    for action, label in labels.items():
        if "." not in action:
            raise ValueError(f"audit actions are namespaced 'app.verb_object', got {action!r}")
        ACTION_LABELS[action] = label


def action_label(action: str) -> str:
    """The label in the active language (labels are registered in Chinese and marked for translation)."""
    label = ACTION_LABELS.get(action)
    return gettext(str(label)) if label else action
