from django.apps import AppConfig


class FeesConfig(AppConfig):
    name = "onewindow.fees"
    verbose_name = "收费"
    default_auto_field = "django.db.models.BigAutoField"
