from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "onewindow.analytics"
    verbose_name = "大数据分析"

    def ready(self) -> None:
        from onewindow.analytics.services import catalogue_search_record
        from onewindow.catalogue.services.searched import on_catalogue_search

        on_catalogue_search(catalogue_search_record)
