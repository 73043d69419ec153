from django.apps import AppConfig


class WorkpackagesConfig(AppConfig):
    name = "workpackages"
    verbose_name = "Work plan"
