"""Settings of `bench/load.py`'s server: the site's own, plus the floor's views (bench/load_floor.py).

Only the load test's gunicorn runs with these (DJANGO_SETTINGS_MODULE=bench.load_settings); the site's
settings and URLs know nothing of the floor, so no deployment serves it.
"""

from consortium.settings import *  # noqa: F403

ROOT_URLCONF = "bench.load_floor"
