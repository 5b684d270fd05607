from django.apps import AppConfig


class HallsConfig(AppConfig):
    name = "onewindow.halls"
    verbose_name = "大厅与预约"
    default_auto_field = "django.db.models.BigAutoField"
