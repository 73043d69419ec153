from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("registration/_sso_sign_in.html", takes_context=True)
def sso_sign_in(context):
    """The "Sign in with <provider>" button; renders nothing at all while OIDC is off."""
    return {"enabled": settings.OIDC_ENABLED, "provider": settings.OIDC_PROVIDER_NAME, "next": context.get("next")}
