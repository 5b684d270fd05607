from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "onewindow.analytics"
    verbose_name = "大数据分析"

    def ready(self) -> None:
        from onewindow.analytics.reforms.selectors import reform_for_trail
        from onewindow.analytics.reforms.services import AUDIT_LABELS, TARGET_TYPE
        from onewindow.analytics.services import catalogue_search_record
        from onewindow.audit.labels import register_action_labels
        from onewindow.audit.registry import found_by, register_trail_access
        from onewindow.catalogue.services.searched import on_catalogue_search

        on_catalogue_search(catalogue_search_record)
        register_action_labels(AUDIT_LABELS)
        # A reform's trail: whoever may see the reform (an analyst of its region or above).
        register_trail_access(TARGET_TYPE, found_by(reform_for_trail))
