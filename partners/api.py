"""API resources of this app (see consortium/api/base.py for what they share)."""


def register(router) -> None:
    """Add this app's viewsets to the API router."""
