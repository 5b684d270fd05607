"""Human-readable labels for audit actions. Apps add theirs at start-up:

    register_action_labels({"catalogue.matter_published": "发布事项"})

(call it in the app's AppConfig.ready()). An action without a label shows as its code.
"""

from __future__ import annotations

from collections.abc import Mapping

ACTION_LABELS: dict[str, str] = {
    "orgs.applicant_registered": "登记申请人",
    "orgs.role_bootstrapped": "初始化管理员角色",
    "orgs.role_granted": "授予角色",
    "orgs.role_revoked": "撤销角色",
}


def register_action_labels(labels: Mapping[str, str]) -> None:
    for action, label in labels.items():
        if "." not in action:
            raise ValueError(f"audit actions are namespaced 'app.verb_object', got {action!r}")
        ACTION_LABELS[action] = label


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)
