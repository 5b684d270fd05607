from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "onewindow.catalogue"
    verbose_name = "事项目录"
