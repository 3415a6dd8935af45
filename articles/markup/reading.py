"""What a rendered text reads as: its plain text, its words, its reading time."""

import re

import nh3


def plain_text(html):
    """Text content of sanitised HTML, for word counts and search."""
    return re.sub(r"\s+", " ", nh3.clean(html, tags=set())).strip()


def word_count(text):
    return len(re.findall(r"\w+", text or ""))


def reading_minutes(text, words_per_minute=230):
    return max(1, round(word_count(text) / words_per_minute))
