"""Text that Hugo reads as a shortcode, written so that Hugo shows it as written, and read back.

Hugo reads ``{{< name >}}`` and ``{{% name %}}`` anywhere in a page's body, code blocks included, as a shortcode
call, and a name it has no template for stops the whole build. The newsroom has no shortcodes: to it such text
is text, as the site shows it. Hugo's own way to write it is the escaped form ``{{</* name */>}}`` (and
``{{%/* name */%}}``), which it shows as ``{{< name >}}``: export writes every such span that way, and import reads
the escaped form back as the text Hugo shows, so a round trip gives back the body as it was.

A ``{{<`` with no ``>}}`` after it has no escaped form: Hugo stops at it whatever the file says.
"""

import re

_SPAN = re.compile(r"\{\{(?:<(?P<call>.*?)>|%(?P<markdown>.*?)%)\}\}", re.DOTALL)
_ESCAPED = re.compile(r"\{\{(?:</\*(?P<call>.*?)\*/>|%/\*(?P<markdown>.*?)\*/%)\}\}", re.DOTALL)


def escaped(body):
    """``body`` with each span Hugo would call as a shortcode in the escaped form, which Hugo shows as written."""

    def escape(found):
        if found["call"] is not None:
            return "{{</*" + found["call"] + "*/>}}"
        return "{{%/*" + found["markdown"] + "*/%}}"

    return _SPAN.sub(escape, body)


def unescaped(body):
    """``body`` with Hugo's escaped spans as the text Hugo shows for them (the inverse of ``escaped``)."""

    def unescape(found):
        if found["call"] is not None:
            return "{{<" + found["call"] + ">}}"
        return "{{%" + found["markdown"] + "%}}"

    return _ESCAPED.sub(unescape, body)
