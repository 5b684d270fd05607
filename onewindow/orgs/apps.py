from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "onewindow.orgs"
    verbose_name = "组织与人员"
