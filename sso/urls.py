from django.urls import path

from sso.views import AuthenticateView, CallbackView

app_name = "sso"

urlpatterns = [
    path("authenticate/", AuthenticateView.as_view(), name="authenticate"),
    path("callback/", CallbackView.as_view(), name="callback"),
]
