from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "Learning"

    def ready(self) -> None:
        from initiatives import registry
        from initiatives.models import Stage
        from learning.checklist import learning_checklist
        from learning.dashboard import register as register_dashboard
        from learning.demo import seed_demo

        registry.register(
            registry.Process(
                stage=Stage.LEARNING,
                label="Learning",
                order=2,
                checklist=learning_checklist,
                url_name="learning:overview",
                seed_demo=seed_demo,
            )
        )
        register_dashboard()
