"""Show an object's audit trail under its admin change form.

The trail is looked up by `<app_label>.<model_name>` and the object's pk, the target convention
services use when they call audit_record.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin


class AuditTrailAdminMixin(admin.ModelAdmin[Any]):
    change_form_template = "audit/admin_change_form_with_trail.html"
