"""Writes of the certificates, one use case per function, one transaction each with its audit event
(stream `certificate:<licence number>`: every version of one licence on one chain; target
`certificates.certificate`, the version's id):

- issuing.py: `certificates_on_case_end` (registered with cases.services.endings) writes the rows of an
  approved case's certificates with the decision and enqueues `certificate_seal` (render, e-seal, SM2,
  store) on commit; a revoked approval on commitment revokes them; `certificate_warning_levels_refresh`
  keeps the Art. 44 clock's warning levels;
- lifecycle.py: `certificate_alter` (变更), `certificate_renew` (延续), `certificate_revoke` (撤销/注销);
- delivery.py: `certificate_hand_over` (窗口领取, 邮寄送达), `certificate_downloaded` (网上下载).
"""

from onewindow.certificates.services.common import AUDIT_LABELS, TARGET_TYPE
from onewindow.certificates.services.delivery import certificate_downloaded, certificate_hand_over
from onewindow.certificates.services.issuing import (
    certificate_seal,
    certificate_warning_levels_refresh,
    certificates_issue_for_case,
    certificates_on_case_end,
    certificates_revoke_for_case,
)
from onewindow.certificates.services.lifecycle import certificate_alter, certificate_renew, certificate_revoke

__all__ = [
    "AUDIT_LABELS",
    "TARGET_TYPE",
    "certificate_alter",
    "certificate_downloaded",
    "certificate_hand_over",
    "certificate_renew",
    "certificate_revoke",
    "certificate_seal",
    "certificate_warning_levels_refresh",
    "certificates_issue_for_case",
    "certificates_on_case_end",
    "certificates_revoke_for_case",
]
