from django.apps import AppConfig


class RealigningConfig(AppConfig):
    name = "realigning"
    verbose_name = "Realigning"
