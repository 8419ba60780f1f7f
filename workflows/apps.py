from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = "Oppfølging"

    def ready(self) -> None:
        from core import tasks_registry

        from . import home_tasks

        tasks_registry.register(home_tasks.my_actions_section, order=40)
        tasks_registry.register(home_tasks.actions_to_follow_up_section, order=45)
        tasks_registry.register(home_tasks.deviations_section, order=50)
        tasks_registry.register(home_tasks.rounds_section, order=60)
        tasks_registry.register(home_tasks.risk_reviews_section, order=65)
