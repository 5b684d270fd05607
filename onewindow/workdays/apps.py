from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "onewindow.workdays"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from onewindow.workdays import checks  # noqa: F401  (registers the system check)
