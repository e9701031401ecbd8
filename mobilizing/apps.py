from django.apps import AppConfig


class MobilizingConfig(AppConfig):
    name = "mobilizing"
    verbose_name = "Mobilizing"
