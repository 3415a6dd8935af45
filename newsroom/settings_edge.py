"""Settings of the edge caches (Varnish, ``edge/``) and of the job queue that delivers their purges (Celery,
``newsroom/celery.py``), read from the environment; ``newsroom.settings`` takes every name here."""

import os

# The edge caches in front (Varnish, edge/): where purges go (comma-separated http or https addresses; none: no
# edge, and pages carry no Surrogate-Control), the secret they must carry, and the longest an edge keeps a page.
# A purge that cannot be delivered is retried for that long, after which no page it was meant for is left.
NEWSROOM_EDGE_PURGE_URLS = [
    url.strip() for url in os.environ.get("NEWSROOM_EDGE_PURGE_URLS", "").split(",") if url.strip()
]
NEWSROOM_EDGE_PURGE_SECRET = os.environ.get("NEWSROOM_EDGE_PURGE_SECRET", "")
NEWSROOM_EDGE_SECONDS = int(os.environ.get("NEWSROOM_EDGE_SECONDS", "86400"))

# The job queue (newsroom/celery.py): Redis as broker, the shared cache's unless named apart. Queuing a job never
# holds a request: short timeouts and no retry on publish (a job that could not be queued is swept up later).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
CELERY_BROKER_CONNECTION_TIMEOUT = float(os.environ.get("CELERY_BROKER_TIMEOUT_SECONDS", "0.5"))
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    "socket_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    "max_retries": 0,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True  # a worker started before Redis waits for it
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_SERIALIZER = CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True  # no result backend: every job's outcome is in the database
CELERY_TASK_ACKS_LATE = True  # a job taken by a worker that dies is given to another
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # a worker holds one job at a time; the others stay free for its peers
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # the project's LOGGING applies
# Beat keeps when it last ran in CELERY_BEAT_SCHEDULE_FILENAME, set by newsroom/settings.py under the var directory.
CELERY_BEAT_SCHEDULE = {
    # Purges whose job was lost (the broker down at commit, a worker killed) are delivered within seconds.
    "edge-sweep": {"task": "edge.tasks.sweep", "schedule": 10.0},
}
