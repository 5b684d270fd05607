from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "onewindow.analytics"
    verbose_name = "大数据分析"
