from django.apps import AppConfig


class DataConfig(AppConfig):
    name = "data"
    verbose_name = "Datasets"

    def ready(self) -> None:
        from data import receivers  # noqa: F401  (connects the receivers)
