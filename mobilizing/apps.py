from django.apps import AppConfig


class MobilizingConfig(AppConfig):
    name = "mobilizing"
    verbose_name = "Mobilizing"

    def ready(self) -> None:
        from initiatives import registry
        from initiatives.models import Stage
        from mobilizing.checklist import mobilizing_checklist
        from mobilizing.dashboard import PROVIDER as DASHBOARD
        from mobilizing.demo import seed_demo

        registry.register(
            registry.Process(
                stage=Stage.MOBILIZING,
                label="Mobilizing",
                order=3,
                checklist=mobilizing_checklist,
                url_name="mobilizing:overview",
                seed_demo=seed_demo,
            )
        )
        registry.register_dashboard(Stage.MOBILIZING, DASHBOARD)
