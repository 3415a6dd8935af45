"""How the desk (the admin's front page) and the article list's desk filters scale with the newsroom's size.

usage: python bench/desk_bench.py [--articles 1000,20000] [--database postgres|sqlite]

Seeds (once, reused like the site benchmark's databases) N articles with bench/seed.py, then puts 5 % of them in
review and 2 % back to draft with a workflow log, as a desk has after years of work. Prints, for the editor's and
the writer's desk, the number of queries and the median time of 20 renders through Django's test client.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from site_bench import OUT, base_env, prepare_database  # noqa: E402


def measure(url):
    env = base_env(url, OUT / "cache-desk", 0) | {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_SESSION_COOKIE_SECURE": "0",
        "DJANGO_CSRF_COOKIE_SECURE": "0",
    }
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    code = r"""
import statistics, time
import django
django.setup()
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.utils import timezone
from articles.models import Article, ArticleTransition, Author

def user(name, group):
    found, made = User.objects.get_or_create(username=name, defaults={"is_staff": True})
    if made:
        found.groups.add(Group.objects.get(name=group))
    return found

editor, writer = user("bench-editor", "Editor"), user("bench-writer", "Writer")
author = Author.objects.order_by("pk").first()
if author.user_id is None:
    Author.objects.filter(pk=author.pk).update(user=writer)
if not ArticleTransition.objects.exists():
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    review, back = ids[::20], ids[7::50]
    Article.objects.filter(pk__in=review).update(status="review", published_at=None)
    Article.objects.filter(pk__in=back).update(status="draft", published_at=None)
    now = timezone.now()
    ArticleTransition.objects.bulk_create(
        [ArticleTransition(article_id=pk, user=writer, source="draft", target="review", at=now) for pk in review]
        + [ArticleTransition(article_id=pk, user=editor, source="review", target="draft", at=now) for pk in back]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
for person in (editor, writer):
    client = Client()
    client.force_login(person)
    client.get("/admin/")
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(sql) or execute(sql, *rest)):
        assert client.get("/admin/").status_code == 200
    times = []
    for _ in range(20):
        started = time.perf_counter()
        client.get("/admin/")
        times.append(time.perf_counter() - started)
    print(f"    desk of a {'writer' if person == writer else 'editor'}: {len(queries)} queries, "
          f"median {statistics.median(times) * 1000:.1f} ms")
"""
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    print(result.stdout, end="")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", default="1000,20000")
    parser.add_argument("--database", default="postgres", choices=["postgres", "sqlite"])
    args = parser.parse_args()
    for count in [int(n) for n in args.articles.split(",")]:
        print(f"{count} articles on {args.database}:")
        started = time.perf_counter()
        url = prepare_database(args.database, count)
        print(f"    (database ready in {time.perf_counter() - started:.0f} s)")
        measure(url)


if __name__ == "__main__":
    os.chdir(ROOT)
    main()
