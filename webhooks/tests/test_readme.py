"""The receiver the README shows, run as written: it accepts a real delivery, handles a resend of it once, and
refuses a body whose signature does not match; its own handler answers every kind of event, the admin's test
event included."""

import http.client
import http.server
import re
import threading
from pathlib import Path

import pytest
from django.conf import settings

from articles.tests.factories import make_article
from webhooks import fanout, sending
from webhooks.models import Delivery, Endpoint, Kind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_jobs")]


def readme_receiver(secret, keep=True):
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    section = readme.split("\n## Webhooks\n", 1)[1].split("\n## ", 1)[0]
    [code] = re.findall(r"```python\n(.*?)```", section, re.S)
    namespace = {"__name__": "readme_receiver"}
    exec(code.replace("whsec_…", secret), namespace)  # noqa: S102 - the README's own example
    handled = []
    if keep:
        namespace["handle"] = handled.append  # what the example prints, kept
    return namespace, handled


@pytest.fixture
def readme_server(settings, request):
    settings.NEWSROOM_WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]
    endpoint = Endpoint.objects.create(url="http://127.0.0.1:9/", events=[kind for kind, _ in Kind.subscribable()])
    namespace, handled = readme_receiver(endpoint.secret, keep=getattr(request, "param", True))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), namespace["Receiver"])
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint.url = f"http://127.0.0.1:{server.server_port}/hooks"
    endpoint.save()
    yield server, handled
    server.shutdown()
    server.server_close()


def test_the_readme_receiver_verifies_and_dedupes(readme_server, django_capture_on_commit_callbacks):
    server, handled = readme_server
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(title="Harbour wall repaired")
    with django_capture_on_commit_callbacks(execute=True):
        sending.resend(Delivery.objects.all())
    assert [event["data"]["id"] for event in handled] == [article.pk]
    assert [a.status_code for a in Delivery.objects.get().attempt_log.all()] == [204, 204]
    connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=5)
    forged = {"webhook-id": "msg_1", "webhook-timestamp": "1", "webhook-signature": "v1,Zm9yZ2Vk"}
    connection.request("POST", "/hooks", body=b'{"type":"article.deleted"}', headers=forged)
    assert connection.getresponse().status == 400
    assert len(handled) == 1


@pytest.mark.parametrize("readme_server", [False], indirect=True)
def test_the_readme_handler_answers_an_article_event_and_the_admins_test_event(
    readme_server, django_capture_on_commit_callbacks, capsys
):
    with django_capture_on_commit_callbacks(execute=True):
        make_article(title="Harbour wall repaired")
    with django_capture_on_commit_callbacks(execute=True):
        fanout.test_event(list(Endpoint.objects.all()))
    answers = {d.kind: [a.status_code for a in d.attempt_log.all()] for d in Delivery.objects.all()}
    assert answers == {Kind.ARTICLE_PUBLISHED: [204], Kind.TEST: [204]}
    assert "article.published Harbour wall repaired" in capsys.readouterr().out
