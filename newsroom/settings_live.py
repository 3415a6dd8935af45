"""Settings of live coverage (the ``live`` app), read from the environment; ``newsroom.settings`` takes every
name here."""

import os

# The desk warns that a live page in progress has gone quiet when nothing was posted to it for this many minutes.
NEWSROOM_LIVE_QUIET_MINUTES = int(os.environ.get("NEWSROOM_LIVE_QUIET_MINUTES", "15"))
