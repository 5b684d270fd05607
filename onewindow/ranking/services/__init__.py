"""Writes of the ranking app: one module per use case family.

run         ranking_run, ranking_replay, ranking_run_previous_month (the periodic job)
standings   project classes and district standings of one period (inside ranking_run)
warnings    warnings_issue (inside ranking_run), warning_acknowledge, warning_add_rectification
assessment  assessment_compute (inside ranking_run)
rules       rule_version_for, rule_version_create
"""
