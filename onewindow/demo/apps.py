from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "onewindow.demo"
    verbose_name = "演示数据"
