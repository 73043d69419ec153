from django.apps import AppConfig


class ConsortiumConfig(AppConfig):
    name = "consortium"
    verbose_name = "Consortium"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from consortium import profiles, tokens

        tokens.connect()
        user_logged_in.connect(profiles.remember_web_language, dispatch_uid="profiles-remember-web-language")
