from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = "Spørreskjema"

    def ready(self) -> None:
        from core import tasks_registry

        from .anon.home import anonymous_survey_tasks
        from .tasks_home import response_tasks

        tasks_registry.register(response_tasks, order=10)
        tasks_registry.register(anonymous_survey_tasks, order=15)
