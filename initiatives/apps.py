from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = "Initiatives (hub)"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from initiatives.dashboard_cache import on_model_change

        # Any change to portfolio data invalidates the dashboard's cache (dashboard_cache.py).
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(on_model_change, dispatch_uid=f"dashboard-cache-{id(signal)}")
