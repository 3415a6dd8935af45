# Newsroom: `make run` serves a demo site, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test test-browser test-multinode survey structured-data lint demo backup bench bench-thundering-herd bench-import bench-markdown bench-images bench-desk fidelity clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

# The release steps first (README, Production), so a checkout brought up to date serves what a release would.
demo: $(VENV)/.runtime
	$(MANAGE) migrate --noinput
	$(MANAGE) rerender_markdown
	$(MANAGE) rewrite_renditions
	$(MANAGE) import_markdown demo/content
	$(MANAGE) demo_site
	$(MANAGE) demo_editor --site http://$(HOST):$(PORT) > var/demo-logins.txt
	$(MANAGE) demo_desk
	$(MANAGE) demo_live
	$(MANAGE) demo_newsletters
	$(MANAGE) demo_about
	@cat var/demo-logins.txt

# The job queue's worker, beat included (-B: one machine only, see README), its schedule kept under the var
# directory (CELERY_BEAT_SCHEDULE_FILENAME). Its jobs mostly wait on the database, the mail server or an edge, so
# it runs them on threads: 12 of them, 8 for a newsletter's senders (NEWSROOM_NEWSLETTER_SENDERS) and the rest
# for purges and the desk's e-mail meanwhile (make bench-newsletter: 4 times the messages a second of a pool of
# two processes, in half the memory).
WORKER_ARGS ?= --pool threads --concurrency 12
CELERY_WORKER = $(BIN)/celery -A newsroom worker -B --loglevel INFO $(WORKER_ARGS)
# For a bash recipe: that worker in the background with the recipe's environment, started again if it stops, and
# stopped (with whatever else the recipe adds to `pids`) when the recipe ends: Ctrl-C, or its server exiting. It
# runs in a session of its own (setsid), so that Ctrl-C reaches it only through the recipe, which stops it.
WITH_WORKER = pids=(); trap 'kill $${pids[@]} 2>/dev/null; wait' EXIT; trap 'exit 130' INT TERM; \
	(trap 'kill $$w 2>/dev/null; wait; exit' TERM; while true; do setsid $(CELERY_WORKER) & w=$$!; \
		wait $$w; echo "The worker stopped: starting it again (its jobs wait in the queue meanwhile)"; sleep 2; \
		done) & pids+=($$!)
# `make serve`'s environment: production settings, plain HTTP on loopback.
SERVE_ENV = DJANGO_DEBUG=0 DJANGO_SECRET_KEY="$$(cat var/secret-key)" DJANGO_SECURE_SSL_REDIRECT=0 \
	DJANGO_SESSION_COOKIE_SECURE=0 DJANGO_CSRF_COOKIE_SECURE=0 DJANGO_SECURE_HSTS_SECONDS=0 NEWSROOM_SERVE_MEDIA=1 \
	NEWSROOM_SITE_URL=http://$(HOST):$(PORT) DJANGO_ALLOWED_HOSTS=$(HOST),localhost

# runserver, and beside it a worker with the same environment (the same database, DEBUG on: e-mail is printed
# to the console). Ctrl-C stops both.
run: SHELL := /bin/bash
run: demo
	@echo "Serving on http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/), with a worker of the job queue"
	$(WITH_WORKER); \
	$(MANAGE) runserver $(HOST):$(PORT)

# Production-like on this machine: gunicorn, whitenoise, DEBUG off, plain HTTP on loopback, and a worker with the
# same environment. Ctrl-C stops both.
serve: SHELL := /bin/bash
serve: demo
	@test -s var/secret-key || $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret-key
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY="$$(cat var/secret-key)" $(MANAGE) collectstatic --noinput -v0
	@echo "Serving (production settings) on http://$(HOST):$(PORT)/, with a worker of the job queue"
	export $(SERVE_ENV); $(WITH_WORKER); \
	$(BIN)/gunicorn -c gunicorn.conf.py --bind $(HOST):$(PORT) newsroom.wsgi

# The site behind its edge on this machine: gunicorn (production settings, as `make serve`) on ORIGIN_PORT, the
# Celery worker that sends purges, and varnishd in the foreground on PORT running deploy/varnish/newsroom.vcl pointed
# at gunicorn, with a purge secret generated once into var/edge/. Ctrl-C stops all three, as does any one exiting.
# varnishd runs with `-j none` (as the user who started it: its default jail, which switches to the varnish user,
# needs root and could not read the files under var/edge/); a production varnishd keeps its jail (README).
ORIGIN_PORT ?= 8001
EDGE_MEMORY ?= 256m
VARNISHD := $$(command -v varnishd || echo /usr/sbin/varnishd)
# Debian's varnish and varnish-modules (the xkey module), for `make serve-edge` and the edge tests.
VARNISH := (test -x /usr/sbin/varnishd && dpkg -s varnish-modules >/dev/null 2>&1) || \
	(DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq varnish varnish-modules || \
	(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq varnish varnish-modules))

.PHONY: serve-edge
serve-edge: SHELL := /bin/bash
serve-edge: demo
	@$(VARNISH)
	@mkdir -p var/edge
	@test -s var/secret-key || $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret-key
	@test -s var/edge/purge.secret || (umask 077; $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(32))' \
		> var/edge/purge.secret)
	@sed -e 's/\.host = "127\.0\.0\.1";/.host = "$(HOST)";/' -e 's/\.port = "8000";/.port = "$(ORIGIN_PORT)";/' \
		-e 's#/etc/varnish/newsroom-purge.secret#$(CURDIR)/var/edge/purge.secret#' \
		deploy/varnish/newsroom.vcl > var/edge/newsroom.vcl
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY="$$(cat var/secret-key)" $(MANAGE) collectstatic --noinput -v0
	@echo "Serving (production settings) on http://$(HOST):$(PORT)/ through Varnish; the origin is http://$(HOST):$(ORIGIN_PORT)/"
	export $(SERVE_ENV) \
		NEWSROOM_EDGE_PURGE_URLS=http://127.0.0.1:$(PORT)/ NEWSROOM_EDGE_PURGE_SECRET="$$(cat var/edge/purge.secret)"; \
	$(WITH_WORKER); \
	$(BIN)/gunicorn -c gunicorn.conf.py --bind $(HOST):$(ORIGIN_PORT) newsroom.wsgi & pids+=($$!); \
	$(VARNISHD) -F -j none -n $(CURDIR)/var/edge/varnish -a $(HOST):$(PORT) -f $(CURDIR)/var/edge/newsroom.vcl \
		-s malloc,$(EDGE_MEMORY) $$(cat deploy/varnish/varnishd.params) & pids+=($$!); \
	wait -n

# The job queue's worker in the foreground (purges to the edge, newsletters, the desk's e-mail), with `make serve`'s
# environment, beat included: for a site served some other way (`make run` and `make serve` start their own).
.PHONY: worker
worker: $(VENV)/.runtime
	@test -s var/secret-key || $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret-key
	$(SERVE_ENV) $(CELERY_WORKER)

backup: $(VENV)/.runtime
	$(MANAGE) backup var/backups

# Debian's hugo, for the tests that build the export with it and for `make fidelity`.
HUGO := command -v hugo >/dev/null || (apt-get -o DPkg::Lock::Timeout=600 install -y -qq hugo || \
	(apt-get update -qq && apt-get install -y -qq hugo))

# Debian's exiftool, with which the tests read back the rights written into pictures' renditions.
EXIFTOOL := command -v exiftool >/dev/null || \
	(DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq libimage-exiftool-perl || \
	(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libimage-exiftool-perl))

# The suite in parallel (pytest-xdist): a worker a core, each with its own test database and Redis database, each
# test file run whole by one worker (module-scoped servers start once). TEST_WORKERS=0 runs it in this process.
TEST_WORKERS ?= auto
test: $(VENV)/.dev
	@$(HUGO) || echo "Debian's hugo could not be installed: the Hugo build tests are skipped (outside CI)"
	@$(VARNISH) || echo "Debian's varnish could not be installed: the edge tests are skipped (outside CI)"
	@$(EXIFTOOL) || echo "Debian's exiftool could not be installed: the rights read-back test is skipped (outside CI)"
	$(BIN)/pytest -m "not browser and not multinode" -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

test-multinode: $(VENV)/.dev
	$(BIN)/pytest -m multinode $(PYTEST_ARGS)

test-browser: $(VENV)/.dev
	$(BIN)/pytest -m browser $(PYTEST_ARGS)

# Hostile requests, files and uploads against gunicorn; prints the number of 5xx answers (must be 0).
survey: $(VENV)/.dev
	$(BIN)/python bench/survey.py $(SURVEY_ARGS)

# The JSON-LD of a running site's pages checked offline (tests/structured_data.py): the front page and the article,
# author and newsroom pages it links to, or the pages named: make structured-data PAGES="http://…/articles/x/ …".
PAGES ?= http://$(HOST):$(PORT)/
structured-data: $(VENV)/.dev
	$(BIN)/python -m tests.structured_data $(PAGES)

# Style, formatting, and the layers written in .importlinter (no arrow upward, no cycle among siblings).
lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache

WRK := command -v wrk >/dev/null || (apt-get -o DPkg::Lock::Timeout=600 install -y -qq wrk || \
	(apt-get update -qq && apt-get install -y -qq wrk))

# Every reader page, page cache off and on, SQLite and PostgreSQL + Redis, 1,000 and 100,000 articles; then the
# content API's list and detail endpoints on the same databases (bench-api).
bench: $(VENV)/.runtime
	@$(WRK)
	$(BIN)/python bench/site_bench.py $(BENCH_ARGS)
	$(BIN)/python bench/api_bench.py $(BENCH_ARGS)

.PHONY: bench-api
# The content API alone (bench/api_bench.py): lists and details as shares of the floor, page cache off and on.
bench-api: $(VENV)/.runtime
	@$(WRK)
	$(BIN)/python bench/api_bench.py $(BENCH_ARGS)

# p99 latency in the five seconds after a publish against the five seconds before, under load.
bench-thundering-herd: $(VENV)/.runtime
	@$(WRK)
	$(BIN)/python bench/site_bench.py --herd $(BENCH_ARGS)

bench-import: $(VENV)/.runtime
	$(BIN)/python bench/import_bench.py $(BENCH_ARGS)

# Every hostile Markdown body through the reader pipeline; prints the slowest (the goal is under 0.5 s).
bench-markdown: $(VENV)/.runtime
	$(BIN)/python bench/markdown_bench.py $(BENCH_ARGS)

# Hugo's HTML for the fidelity corpus and the CommonMark spec's examples (articles/tests/markup/fidelity),
# regenerated with Debian's hugo.
fidelity: $(VENV)/.runtime
	@$(HUGO)
	$(BIN)/python articles/tests/markup/fidelity/regenerate.py

bench-images: $(VENV)/.runtime
	$(BIN)/python bench/image_bench.py $(BENCH_ARGS)

# The desk (the admin's front page) for an editor and a writer at 1,000 and 20,000 articles: queries and time.
bench-desk: $(VENV)/.runtime
	$(BIN)/python bench/desk_bench.py $(BENCH_ARGS)

# The edge's figures (bench/edge_bench.py, about four minutes): the site's pages from Varnish's cache as a share of
# nginx serving the same bytes, how soon each kind of change shows through the edge, and the origin's share of the
# requests under load with a publish every 10 s. It starts varnishd with the tests' harness (tests/edgeserver.py),
# hence the development requirements.
NGINX := command -v nginx >/dev/null || (apt-get -o DPkg::Lock::Timeout=600 install -y -qq nginx-light || \
	(apt-get update -qq && apt-get install -y -qq nginx-light))
.PHONY: bench-live
# A live page polled by 200 readers (wrk) while an update is posted every 2-3 s (bench/live_bench.py, about three
# minutes): poll throughput as a share of the floor, p99, and the time from a commit to the first poller seeing the
# update, from gunicorn and through Varnish when varnishd is installed (hence the development requirements).
bench-live: $(VENV)/.dev
	@$(WRK)
	$(BIN)/python bench/live_bench.py $(BENCH_ARGS)

.PHONY: bench-edge
bench-edge: $(VENV)/.dev
	@$(WRK)
	@$(VARNISH)
	@$(NGINX)
	$(BIN)/python bench/edge_bench.py $(BENCH_ARGS)

.PHONY: bench-newsletter
# An issue to 100,000 subscribers (bench/newsletter_bench.py; BENCH_ARGS="--subscribers 10000" for fewer): PostgreSQL
# (a scratch database) and Redis, a real Celery worker and a local SMTP sink in its own process. Prints messages a
# second end to end, the worker's peak memory and the time from "send now" to the first message.
bench-newsletter: $(VENV)/.runtime
	$(BIN)/python bench/newsletter_bench.py $(BENCH_ARGS)
