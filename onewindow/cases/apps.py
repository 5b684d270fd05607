from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "onewindow.cases"
    verbose_name = "办件"
