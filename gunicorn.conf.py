"""gunicorn settings for Newsroom; every value can be changed from the environment.

gunicorn -c gunicorn.conf.py newsroom.wsgi
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: each serves one request at a time; twice the cores plus one keeps the CPUs busy while
# some wait on the database.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))  # a worker stuck this long is killed and replaced
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))  # HUP/TERM: finish requests first
keepalive = 5
# Recycle workers now and then, staggered, so a slow leak can never take the site down.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
preload_app = True  # one copy of the code, shared by the workers; no connections are opened before fork
# Request logs come from Django as JSON lines (newsroom.request); gunicorn's own access log is off unless a
# file or "-" is given here.
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Behind a TLS-terminating proxy, list its addresses so X-Forwarded-* from it are believed.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
