"""zh-Hans text uses full-width punctuation (，。：；！？（）) next to Chinese characters: the rule, where
Chinese text lives (templates, the strings of the code and of the demo data), and a fixer.

    .venv/bin/python -m onewindow.web.tests.punctuation             # list what breaks the rule
    .venv/bin/python -m onewindow.web.tests.punctuation --fix FILE  # rewrite FILE (read the diff after)

A text counts as Chinese when it has at least as many Chinese characters as Latin letters: an
English sentence that names a term in parentheses ("acceptance with deferral (容缺受理)") keeps its
ASCII punctuation. Format fields such as `%(count)s` are never touched.
"""

from __future__ import annotations

import io
import re
import sys
import tokenize
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CHINESE = "\u3400-\u4dbf\u4e00-\u9fff"
FULL_WIDTH = "\u2018-\u201d\u3000-\u303f\uff00-\uffef"  # ‘’“”, 、。「」 and the full-width forms
WIDE = f"[{CHINESE}{FULL_WIDTH}]"
PAIRS = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
# A half-width mark touching a Chinese character, or a full stop ending a Chinese sentence. A colon
# after a Latin word stays: it is a prefix of a code ("material:营业执照"), not Chinese text; and an
# escaped mark (a regular expression's "\(") is not punctuation.
MARK = re.compile(
    rf"(?<!\\)(?:(?<={WIDE})[,:;!?()]|(?<![A-Za-z0-9_])[,:;!?()](?={WIDE})|[,;!?()](?={WIDE})"
    rf"|(?<=[{CHINESE}])\.(?=\s|$|[\"'<]))"
)
FORMAT_FIELD = re.compile(r"%\([a-z_]+\)[sdif]|\{[^{}]*\}")  # %(name)s, {name}, an f-string's {expression}
MARKUP = re.compile(r"<[^>]*>|\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}")
TRANSLATED = re.compile(r"""((?:translate|trans|blocktranslate)\s+(["']))(.*?)(\2)""")  # {% translate "…" %}
TRANSLATION_TAG = re.compile(r"""\{%\s*(?:translate|trans)\s+(["'])(.*?)\1\s*%\}""")


REGEX = re.compile(r"\\[dswDSW(\[.]")  # a regular expression's escapes: its marks are syntax


def is_chinese(text: str) -> bool:
    if REGEX.search(text):
        return False
    words = FORMAT_FIELD.sub("", text)
    chinese = len(re.findall(f"[{CHINESE}]", words))
    return chinese > 0 and chinese >= len(re.findall("[A-Za-z]", words))


def marks(text: str) -> list[int]:
    """Offsets of the half-width marks that should be full-width, in a Chinese text."""
    if not is_chinese(text):
        return []
    fields = [range(m.start(), m.end()) for m in FORMAT_FIELD.finditer(text)]
    return [m.start() for m in MARK.finditer(text) if not any(m.start() in field for field in fields)]


def fixed(text: str) -> str:
    """The text with its marks made full-width; a parenthesis pair changes together."""
    chars, offsets = list(text), set(marks(text))
    offsets |= {partner for offset in offsets if (partner := _partner(text, offset)) is not None}
    for offset in offsets:
        chars[offset] = PAIRS.get(chars[offset], "。")
    return "".join(chars)


def _partner(text: str, offset: int) -> int | None:
    step, opening, closing = (1, "(", ")") if text[offset] == "(" else (-1, ")", "(")
    if text[offset] not in "()":
        return None
    depth, n = 0, offset
    while 0 <= n < len(text):
        depth += {opening: 1, closing: -1}.get(text[n], 0)
        if depth == 0:
            return n
        n += step
    return None


# --- where Chinese text lives ----------------------------------------------------------------------


def template_texts(path: Path) -> Iterator[tuple[int, str]]:
    """Each line of a template, its tags and markup cut out (what a reader sees of it)."""
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        # A {% translate "…" %} reads as its text, so that a mark right after it counts as next to it.
        yield number, MARKUP.sub(" ", TRANSLATION_TAG.sub(lambda m: m[2], line))
        for match in TRANSLATED.finditer(line):
            yield number, match[3]


def python_texts(path: Path) -> Iterator[tuple[int, str]]:
    """Each string literal of a module as written (an f-string whole, its fields in place), docstrings
    included (the API's appear in its docs)."""
    for token in _string_tokens(path.read_text()):
        yield token.start[0], _literal(token.string)[1]


def _string_tokens(source: str) -> Iterator[tokenize.TokenInfo]:
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    yield from (t for t in tokens if t.type == tokenize.STRING and t.start[0] == t.end[0])


def _literal(token: str) -> tuple[str, str, str]:
    """A string token as (prefix and opening quote, body, closing quote)."""
    start = next(n for n, char in enumerate(token) if char in "'\"")
    quote = token[start : start + 3] if token[start : start + 3] in ('"""', "'''") else token[start]
    return token[: start + len(quote)], token[start + len(quote) : -len(quote)], quote


def sources() -> Iterator[Path]:
    """Product templates and modules (the demo's data included); not tests, not migrations."""
    for path in sorted((ROOT / "onewindow").rglob("*")):
        parts = set(path.relative_to(ROOT).parts)
        if path.suffix in {".html", ".py", ".txt"} and not parts & {"tests", "migrations", "__pycache__"}:
            yield path


def findings() -> Iterator[str]:
    for path in sources():
        texts = python_texts(path) if path.suffix == ".py" else template_texts(path)
        for number, text in texts:
            for offset in marks(text):
                around = text[max(0, offset - 8) : offset + 9].replace("\n", " ")
                yield f"{path.relative_to(ROOT)}:{number}: “{text[offset]}” in “{around}”"


def fix_file(path: Path) -> None:
    """Rewrite the Chinese texts of a file: the string literals of a module, the lines of a template."""
    source = path.read_text()
    if path.suffix == ".py":
        lines = source.splitlines(keepends=True)
        for token in reversed(list(_string_tokens(source))):
            opening, body, closing = _literal(token.string)
            row, (start, end) = token.start[0] - 1, (token.start[1], token.end[1])
            lines[row] = lines[row][:start] + opening + fixed(body) + closing + lines[row][end:]
        source = "".join(lines)
    else:
        source = "\n".join(_fix_template_line(line) for line in source.split("\n"))
    path.write_text(source)


def _fix_template_line(line: str) -> str:
    """The line's visible text (markup blanked out) fixed as one text, then its {% translate "…" %} literals."""
    pieces = re.split(f"({MARKUP.pattern})", line)
    visible = "".join(" " * len(p) if MARKUP.fullmatch(p) else p for p in pieces)
    if is_chinese(visible):
        chars, out, at = list(fixed(visible)), [], 0
        for piece in pieces:
            out.append(piece if MARKUP.fullmatch(piece) else "".join(chars[at : at + len(piece)]))
            at += len(piece)
        line = "".join(out)
    return TRANSLATED.sub(lambda m: m[1] + fixed(m[3]) + m[4], line)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--fix"]:
        for name in sys.argv[2:]:
            fix_file(Path(name))
    else:
        found = list(findings())
        sys.stdout.write("".join(f"{line}\n" for line in found) or "no half-width punctuation in Chinese text\n")
