"""The environment an app server started by a test runs in: production settings (DEBUG off, the project's own
middleware and checks), plain HTTP on loopback, its static and media files in the test's temporary folder, and
none of the DJANGO_ and NEWSROOM_ settings of the shell that ran the tests."""

import os


def production_env(tmp, name, **settings):
    """The environment for a gunicorn of the test ``name`` (which names its secret key), with ``settings`` (names
    and values, as strings) on top."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "NEWSROOM_"))}
    return env | {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": f"{name}-test-" + "k" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SESSION_COOKIE_SECURE": "0",
        "DJANGO_CSRF_COOKIE_SECURE": "0",
        "DJANGO_STATIC_ROOT": str(tmp / "static"),
        "DJANGO_MEDIA_ROOT": str(tmp / "media"),
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESSLOG": "",
        **settings,
    }
