import pytest

from newsletters.tests.workers import CountingServer, Worker, use_redis, worker_env


@pytest.fixture
def counting_server():
    """A real SMTP server counting messages by recipient (``newsletters.tests.workers``), 2 ms an answer."""
    server = CountingServer(delay=0.002)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def start_worker(tmp_path, redis_database, counting_server, transactional_db):
    """Start a real Celery worker (its own processes) for ``counting_server``, with settings (names and strings)
    on top; every worker started is killed at the end."""
    use_redis(redis_database)
    workers = []

    def start(**settings):
        env = worker_env(tmp_path, redis_database, counting_server.port, **settings)
        workers.append(Worker(env, tmp_path / "worker.log"))
        workers[-1].start()
        return workers[-1]

    yield start
    for worker in workers:
        worker.kill()
