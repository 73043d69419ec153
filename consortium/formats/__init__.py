"""Date formats of our own where Django's do not suit (settings.FORMAT_MODULE_PATH); other languages use Django's."""
