from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "onewindow.workdays"
    verbose_name = _("工作日历")

    def ready(self) -> None:
        from onewindow.audit.labels import register_action_labels
        from onewindow.audit.registry import granted_by, register_trail_access
        from onewindow.workdays import checks  # noqa: F401  (registers the system check)
        from onewindow.workdays.admin import CalendarYearAdmin

        register_action_labels(
            {
                "workdays.seeded": "从 chinesecalendar 导入节假日",
                "workdays.year_added": "新增年度节假日安排",
                "workdays.year_changed": "修改年度节假日安排",
                "workdays.day_added": "新增节假日/调休日",
                "workdays.day_changed": "修改节假日/调休日",
                "workdays.day_removed": "删除节假日/调休日",
            }
        )
        # The calendar's trails show on its admin's change form: whoever may open it sees them.
        for target_type in ("workdays.calendaryear", "special_day", "calendar"):
            register_trail_access(target_type, granted_by(CalendarYearAdmin.opens_to))
