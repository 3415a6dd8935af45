"""Quotation marks and apostrophes as Hugo's typographer (Goldmark's) sets them.

Goldmark does not pair quotes. It decides each straight quote where it stands, from the character before it in
the source and the few after it on the same source line (emphasis markers, backticks and brackets count, as they
are in the source), with the flanking rules of CommonMark's emphasis; a closing double quote, and a single quote
that only a count can close, need an opening one counted earlier. The counts run over the whole document
(Goldmark 1.5 never resets them), so a quotation that runs over several paragraphs opens each of them with “
and closes once. Some results follow from this and are kept on purpose: ``5'10"`` stays straight (nothing
opened the double quote), ``'Tis`` opens with ‘, ``rock 'n' roll`` gets two apostrophes.

The rule rebuilds, for each inline token, the text Goldmark reads (the text tokens as written, the markup of
the other tokens around them) and changes only quotes inside text tokens: not those in code, raw HTML, bare
links, escapes (``\\"``) or entities (``&quot;``). Quotes in an image's alt text are counted but kept as
written, so that the alt text a body gives is the alt text it stores and exports. Each quote costs a fixed
amount of work, so the rule is linear in the size of the body. How each line ends (a space left before a soft
break, a backslash or two spaces before a hard one) is not in markdown-it's tokens; it is read from the source
lines, except where a code span or raw HTML runs over two lines (then the common case is assumed).
"""

import re
import unicodedata

LEFT_SINGLE, RIGHT_SINGLE, LEFT_DOUBLE, RIGHT_DOUBLE = "\u2018", "\u2019", "\u201c", "\u201d"
APOSTROPHE = RIGHT_SINGLE

_QUOTE = re.compile("['\"]")
_ASCII_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ASCII_SPACE = frozenset("\t\n\r ")
_LOOKAHEAD = 5  # the quote and the four characters after it: the furthest any rule looks
_ELIDED_STARTS = frozenset("teln")  # 'twas, 'em, 'n', 'll
_ONE_LETTER_ENDINGS = frozenset("smtd")  # Alice's, I'm, don't, you'd
_TWO_LETTER_ENDINGS = frozenset({"ve", "ll", "re"})  # I've, I'll, you're


def _is_space(char):
    """White space as Go's unicode.IsSpace sees it."""
    return char in "\t\n\v\f\r \x85\xa0" or (char > "\xff" and char.isspace())


def _is_unicode_punctuation(char):
    return unicodedata.category(char).startswith("P")


def _is_punctuation(char):
    """Punctuation for the flanking rules: ASCII punctuation (symbols too) or a Unicode punctuation mark."""
    return char in _ASCII_PUNCTUATION or _is_unicode_punctuation(char)


def _is_digit(char):
    return char.isdecimal()


def _is_letter(char):
    return char.isalpha()


class _Line:
    """What the rules see of the source line from a quote on: its length in bytes (exact up to the five bytes
    any rule compares against), its bytes, and its characters."""

    __slots__ = ("chars", "data", "size")

    def __init__(self, source, position):
        chars = source[position : position + _LOOKAHEAD]
        end = chars.find("\n")
        self.chars = chars if end < 0 else chars[: end + 1]
        self.data = self.chars.encode("utf-8", "surrogatepass")
        self.size = len(self.data)

    def byte(self, index):
        """The byte at ``index`` as an ASCII character, or "" (past the end, or part of a multi-byte character)."""
        return chr(self.data[index]) if index < self.size and self.data[index] < 0x80 else ""

    def char_at_byte(self, index):
        """The character that holds the byte at ``index``."""
        seen = 0
        for char in self.chars:
            seen += len(char.encode("utf-8", "surrogatepass"))
            if seen > index:
                return char
        return ""

    def ends_word_at(self, index):
        """The line ends before ``index``, or has ASCII punctuation or a space there."""
        char = self.byte(index)
        return self.size <= index or char in _ASCII_PUNCTUATION or char in _ASCII_SPACE


class _Counts:
    __slots__ = ("double", "single")

    def __init__(self):
        self.single = self.double = 0


def _flanking(source, position, run_end, before):
    """(can open, can close) for the run of quotes at ``position``, by CommonMark's flanking rules."""
    after = source[run_end] if run_end < len(source) else " "
    before_space, before_punctuation = _is_space(before), _is_punctuation(before)
    after_space, after_punctuation = _is_space(after), _is_punctuation(after)
    left = not after_space and (not after_punctuation or before_space or before_punctuation)
    right = not before_space and (not before_punctuation or after_space or after_punctuation)
    return left, right


def _may_close(can_open, can_close, line):
    """A quote that could open or close closes when punctuation follows it and then the end of a word."""
    if can_close and not can_open:
        return True
    return can_close and can_open and line.size > 1 and _is_unicode_punctuation(line.chars[1]) and line.ends_word_at(2)


def _single(line, before, can_open, can_close, counts):
    following = line.chars[1] if line.size > 1 else ""
    decade = line.size > 3 and line.byte(1).isdigit() and line.byte(2).isdigit() and line.byte(3) == "s"
    if can_open and not can_close and decade:  # '90s
        after = line.char_at_byte(4) if line.size > 4 else " "
        if _is_space(after) or _is_punctuation(after):
            return APOSTROPHE
    if line.size > 1 and (_is_unicode_punctuation(before) or _is_space(before)) and line.byte(1) in _ELIDED_STARTS:
        return APOSTROPHE  # a word that lost its first letters
    if line.size > 1 and (_is_digit(before) or _is_letter(before)) and _is_letter(following):
        return APOSTROPHE  # inside a word: don't, l'État
    if can_open and not can_close:
        contraction = (line.size > 1 and line.byte(1) in _ONE_LETTER_ENDINGS and line.ends_word_at(2)) or (
            line.size > 2 and line.byte(1) + line.byte(2) in _TWO_LETTER_ENDINGS and line.ends_word_at(3)
        )
        if contraction:
            return RIGHT_SINGLE
        counts.single += 1
        return LEFT_SINGLE
    if line.size > 2 and not _is_digit(following):
        return RIGHT_SINGLE  # Smiths', doin'
    if counts.single > 0 and _may_close(can_open, can_close, line):
        counts.single -= 1
        return RIGHT_SINGLE
    return None


def _double(line, before, can_open, can_close, counts):
    if can_open and not can_close:
        counts.double += 1
        return LEFT_DOUBLE
    if counts.double > 0 and _may_close(can_open, can_close, line):
        if line.byte(1) == '"' and _is_digit(before):
            return None  # inches after a number, before a closing quote: "Monitor 21""
        counts.double -= 1
        return RIGHT_DOUBLE
    return None


def _decide(source, position, run_end, counts):
    """The character the quote at ``position`` becomes, or None to keep it straight."""
    before = source[position - 1] if position else "\n"
    can_open, can_close = _flanking(source, position, run_end, before)
    line = _Line(source, position)
    if source[position] == "'":
        return _single(line, before, can_open, can_close, counts)
    return _double(line, before, can_open, can_close, counts)


def _link_markup(token, opening):
    kind = token.markup
    if kind == "linkify":
        return ""
    if kind == "autolink":
        return "<" if opening else ">"
    return "[" if opening else "]()"


def _line_ends(inline):
    """How each line break of ``inline`` was written, in order (a space or tab left before a soft break, a backslash
    or spaces before a hard one), when every line of its source ends in a break token; else None, and the common
    case is assumed (a code span or raw HTML over two lines hides which source line a break ends)."""
    breaks, stack = 0, [inline.children]
    while stack:
        for child in stack.pop():
            breaks += child.type in {"softbreak", "hardbreak"}
            if child.children:  # an image's alt text
                stack.append(child.children)
    lines = inline.content.split("\n")
    if breaks != len(lines) - 1:
        return None
    return iter("\\" if line.endswith("\\") else line[-1:] if line[-1:] in {" ", "\t"} else "" for line in lines)


def _source_pieces(children, line_ends=None):
    """(text as Goldmark reads it, the token whose quotes may change or None, whether to write the change)."""
    stack = [(iter(children), True)]
    autolinks = 0
    while stack:
        tokens, writable = stack[-1]
        token = next(tokens, None)
        if token is None:
            stack.pop()
            if stack:
                yield "]()", None, False  # the end of an image
            continue
        kind = token.type
        if kind == "text":
            yield token.content, (None if autolinks else token), writable
        elif kind == "image":
            yield "![", None, False
            stack.append((iter(token.children or ()), False))
        elif kind == "link_open":
            autolinks += token.info == "auto"
            yield _link_markup(token, True), None, False
        elif kind == "link_close":
            autolinks -= token.info == "auto"
            yield _link_markup(token, False), None, False
        elif kind == "code_inline":
            yield token.markup + token.content + token.markup, None, False
        elif kind == "softbreak":
            yield (next(line_ends, "") if line_ends else "") + "\n", None, False
        elif kind == "hardbreak":
            ending = next(line_ends, " ") if line_ends else " "
            yield ("\\" if ending == "\\" else "  ") + "\n", None, False
        elif kind in {"html_inline"}:
            yield token.content, None, False
        elif kind == "footnote_ref":
            yield "[^" + str(token.meta.get("label", "")) + "]", None, False
        elif kind == "task_checkbox":
            yield "[x]", None, False
        else:  # emphasis, strikethrough, escapes and entities (their markup is their source)
            yield token.markup, None, False


def _set_quotes(inline, counts):
    parts, targets, offset = [], [], 0
    for text, token, writable in _source_pieces(inline.children, _line_ends(inline)):
        if token is not None and ("'" in text or '"' in text):
            targets.append((offset, token, writable))
        parts.append(text)
        offset += len(text)
    if not targets:
        return
    source = "".join(parts)
    run_start = run_end = 0
    for start, token, writable in targets:
        content, changed = token.content, None
        for match in _QUOTE.finditer(content):
            index, char = match.start(), match.group()
            position = start + index
            if not (run_start <= position < run_end and source[run_start] == char):
                run_start = run_end = position
                while run_end < len(source) and source[run_end] == char:
                    run_end += 1
            curly = _decide(source, position, run_end, counts)
            if curly is not None and writable:
                changed = changed or list(content)
                changed[index] = curly
        if changed:
            token.content = "".join(changed)


def keep_unshown_notes(state):
    """Keep aside the text of footnotes that nothing refers to, before markdown-it drops them: they are not shown,
    but Goldmark reads them where they are written, so the quotations they open count (see quotation_marks)."""
    refs = state.env.get("footnotes", {}).get("refs", {})
    unshown, inside = [], False
    for token in state.tokens:
        if token.type == "footnote_reference_open":
            inside = refs.get(":" + token.meta["label"], -1) < 0
        elif token.type == "footnote_reference_close":
            inside = False
        elif inside and token.type == "inline":
            unshown.append(token)
    if unshown:
        state.env["unshown_notes"] = unshown


def quotation_marks(state):
    """Curl quotes and apostrophes in every inline token, in the order of the source (footnotes where they are
    written, not at the end where markdown-it has moved them), with one count for the document; the text of
    footnotes that are not shown is counted too."""
    counts = _Counts()
    inlines, line = [], 0
    for token in [*state.tokens, *state.env.pop("unshown_notes", ())]:
        # the inline token's content is its whole source, so one without a quote has nothing to change or count
        if token.type == "inline" and token.children and ("'" in token.content or '"' in token.content):
            line = token.map[0] if token.map else line
            inlines.append((line, len(inlines), token))
    for _line, _order, inline in sorted(inlines):
        _set_quotes(inline, counts)
