"""The form of an API key and how it is checked, with no web and no database in it.

A key reads ``nr_<prefix>_<secret>``: the prefix (12 hexadecimal characters) is public and finds the key's row;
the secret (32 random bytes, base64url) is known only to the holder, and only its SHA-256 digest is stored. A
digest of 32 random bytes needs no salt or slow hash: there is nothing to guess from a dictionary."""

import hashlib
import hmac
import re
import secrets
from typing import NamedTuple

PREFIX_HEX = 12
SECRET_BYTES = 32
SHAPE = re.compile(r"nr_(?P<prefix>[0-9a-f]{12})_(?P<secret>[A-Za-z0-9_-]{43})")


class NewKey(NamedTuple):
    """A key just made: ``full`` is given to its holder once; ``prefix`` and ``digest`` are what is kept."""

    full: str
    prefix: str
    digest: str


class Presented(NamedTuple):
    """A key as a caller presented it, well formed."""

    prefix: str
    secret: str


def digest(secret):
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def new_key():
    prefix = secrets.token_hex(PREFIX_HEX // 2)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    return NewKey(f"nr_{prefix}_{secret}", prefix, digest(secret))


def parse(text):
    """The key in ``text`` as (prefix, secret), or None when it is not shaped like one of ours."""
    found = SHAPE.fullmatch(text)
    return Presented(found["prefix"], found["secret"]) if found else None


def matches(presented, stored_digest):
    """Whether the presented secret is the one whose digest was stored, in time that does not depend on where
    the two first differ."""
    return hmac.compare_digest(digest(presented.secret), stored_digest)
