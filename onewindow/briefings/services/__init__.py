"""Writes of the briefings app: one function per use case, audit inside.

reports     monthly_reports_generate, report_send, monthly_reports_send_due (the periodic job)
campaigns   campaign_create, campaign_members_add / campaign_member_remove
starts      start_event_create, start_event_projects_add / start_event_project_remove
"""
