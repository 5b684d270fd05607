"""Show an object's audit trail under its admin change form.

The trail is looked up by `<app_label>.<model_name>` and the object's pk, the target convention
services use when they call audit_record. Say who may see it in the app's AppConfig.ready(), e.g.
`register_trail_access("catalogue.matterversion", granted_by(MatterVersionAdmin.opens_to))`
(audit.registry); until then only the audit admin sees it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin


class AuditTrailAdminMixin(admin.ModelAdmin[Any]):
    change_form_template = "audit/admin_change_form_with_trail.html"
