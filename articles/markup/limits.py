"""How much Markdown is accepted: the size limit of a body, bio, correction or preview, as an editor is told it
and as a model field validates it."""

from django.core.exceptions import ValidationError

# The largest Markdown source accepted, in bytes of UTF-8 (bodies, bios, corrections, previews).
MAX_SOURCE_BYTES = 1_000_000


def size_error(text):
    """What to tell an editor about Markdown over the size limit, or None when it is within it."""
    size = len((text or "").encode("utf-8", "surrogatepass"))
    if size > MAX_SOURCE_BYTES:
        return (
            f"This text is {size:,} bytes; the limit is {MAX_SOURCE_BYTES:,} bytes (1 MB). "
            "Split it into several articles or shorten it."
        )
    return None


def validate_source_size(text):
    """Model field validator: the size limit, shown as a form error."""
    message = size_error(text)
    if message:
        raise ValidationError(message, code="too_large")
