from django.apps import AppConfig


class CharteringConfig(AppConfig):
    name = "chartering"
    verbose_name = "Chartering"

    def ready(self) -> None:
        from chartering.checklist import charter_checklist
        from chartering.dashboard import PROVIDER as DASHBOARD
        from chartering.demo import seed_demo
        from initiatives import registry
        from initiatives.models import Stage

        registry.register(
            registry.Process(
                stage=Stage.CHARTERING,
                label="Chartering",
                order=1,
                checklist=charter_checklist,
                url_name="chartering:charter",
                seed_demo=seed_demo,
            )
        )
        registry.register_dashboard(Stage.CHARTERING, DASHBOARD)
