from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "onewindow.web"
    verbose_name = "门户与工作台"
