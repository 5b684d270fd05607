from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "onewindow.audit"
    verbose_name = _("全程留痕")

    def ready(self) -> None:
        from onewindow.audit import checks

        # A log whose hash cannot be computed would refuse every write: refuse to start instead.
        problem = checks.algorithm_problem()
        if problem:
            raise ImproperlyConfigured(problem)
