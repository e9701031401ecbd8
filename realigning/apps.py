from django.apps import AppConfig


class RealigningConfig(AppConfig):
    name = "realigning"
    verbose_name = "Realigning"

    def ready(self) -> None:
        from initiatives import registry
        from initiatives.models import Stage
        from learning.hooks import measurement_listeners
        from realigning.checklist import realigning_checklist
        from realigning.dashboard import PROVIDER as DASHBOARD
        from realigning.demo import seed_demo
        from realigning.tasks import enqueue_checks

        registry.register(
            registry.Process(
                stage=Stage.REALIGNING,
                label="Realigning",
                order=4,
                checklist=realigning_checklist,
                url_name="realigning:overview",
                seed_demo=seed_demo,
            )
        )
        registry.register_dashboard(Stage.REALIGNING, DASHBOARD)
        if enqueue_checks not in measurement_listeners:
            measurement_listeners.append(enqueue_checks)
