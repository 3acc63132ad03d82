"""Parsing one declaration file (``declaration/<code>.html``) into the text core:
division ``preamble`` (lines ``preamble.1``...) and ``art.1`` .. ``art.30``
(lines ``art.N.1``...)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from tercul.importers.bundle_model import BundleError
from tercul.texts.model import Division, Line, Text

ARTICLES = 30


class _Malformed(Exception):
    def __init__(self, line: int, problem: str, article: int | None = None):
        super().__init__(problem)
        self.line = line
        self.problem = problem
        self.article = article


_VOID = frozenset({"br", "hr", "img", "meta", "link", "wbr", "input", "col", "area", "base"})
_WS = re.compile(r"\s+")


def _clean(parts: list[str]) -> str:
    return _WS.sub(" ", "".join(parts)).strip()


class _DeclarationParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.html_attrs: dict[str, str] = {}
        self.stack: list[str] = []
        self.title: str | None = None  # body-level h1
        self.preamble_title: str | None = None
        self.preamble: list[str] | None = None
        self.articles: dict[int, tuple[str | None, list[str]]] = {}
        self.order: list[int] = []
        # state
        self._container: str | None = None  # "header" | "article"
        self._container_depth = 0
        self._article: int | None = None
        self._heading: str | None = None
        self._lines: list[str] = []
        self._buf: list[str] | None = None
        self._buf_tag: str | None = None
        self._buf_depth = 0
        self._h_buf: list[str] | None = None
        self._h_depth = 0

    def _fail(self, problem: str) -> None:
        raise _Malformed(self.getpos()[0], problem, self._article)

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "html":
            self.html_attrs = a
        if tag in _VOID:
            if tag == "br" and self._buf is not None:
                self._buf.append(" ")
            return
        self.stack.append(tag)
        depth = len(self.stack)
        if tag in ("header", "article"):
            if self._container is not None:
                self._fail(f"<{tag}> inside <{self._container}>")
            self._container, self._container_depth = tag, depth
            self._heading, self._lines = None, []
            if tag == "article":
                raw = a.get("data-number", "")
                if not raw.strip().isdigit():
                    self._fail(f"article has no valid data-number ({raw!r})")
                n = int(raw)
                self._article = n
                if not 1 <= n <= ARTICLES:
                    self._fail(f"article number {n} is outside 1..{ARTICLES}")
                if n in self.articles:
                    self._fail(f"article {n} occurs twice")
            elif self.preamble is not None:
                self._fail("second <header> (preamble)")
        elif tag in ("h1", "h2", "h3") and self._buf is None and self._h_buf is None:
            self._h_buf, self._h_depth = [], depth
        elif tag in ("p", "li"):
            if self._buf is None:
                if self._container is None:
                    self._fail(f"<{tag}> outside the preamble and the articles")
                self._buf, self._buf_tag, self._buf_depth = [], tag, depth
            else:
                self._buf.append(" ")

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        if tag not in self.stack:
            self._fail(f"unexpected </{tag}>")
        while self.stack:
            depth = len(self.stack)
            open_tag = self.stack.pop()
            if open_tag != tag and open_tag in ("article", "header"):
                self._fail(f"<{open_tag}> is not closed before </{tag}>")
            self._close(open_tag, depth)
            if open_tag == tag:
                break

    def _close(self, tag: str, depth: int) -> None:
        if self._buf is not None and depth == self._buf_depth:
            text = _clean(self._buf)
            if text:
                self._lines.append(text)
            self._buf = None
        elif self._h_buf is not None and depth == self._h_depth:
            text = _clean(self._h_buf) or None
            self._h_buf = None
            if self._container is None:
                if tag == "h1" and self.title is None:
                    self.title = text
            elif self._heading is None:
                self._heading = text
        elif self._container is not None and depth == self._container_depth:
            if self._container == "header":
                self.preamble_title, self.preamble = self._heading, self._lines
            else:
                assert self._article is not None
                if not self._lines:
                    self._fail(f"article {self._article} has no text")
                self.articles[self._article] = (self._heading, self._lines)
                self.order.append(self._article)
            self._container, self._article = None, None

    def handle_data(self, data):
        if self._buf is not None:
            self._buf.append(data)
        elif self._h_buf is not None:
            self._h_buf.append(data)

    def close(self):
        super().close()
        if self._container is not None:
            self._fail(f"<{self._container}> is not closed")


@dataclass
class _Declaration:
    code: str
    path: str
    lang: str
    iso6393: str
    title: str | None
    text: Text
    missing: list[int]  # article numbers not present


def _parse_file(path: str, code: str) -> _Declaration:
    """Parse one declaration file. Raises BundleError when malformed."""
    try:
        with open(path, encoding="utf-8") as fh:
            source = fh.read()
    except UnicodeDecodeError as exc:
        raise BundleError(f"{path}:byte {exc.start}", "not valid UTF-8") from None
    except OSError as exc:
        raise BundleError(path, f"cannot read: {exc.strerror or exc}") from None
    p = _DeclarationParser()
    try:
        p.feed(source)
        p.close()
    except _Malformed as exc:
        place = f"{path}:{exc.line}" + (f" (art.{exc.article})" if exc.article else "")
        raise BundleError(place, exc.problem) from None
    lang = p.html_attrs.get("lang", "").strip()
    if not lang:
        raise BundleError(f"{path}:<html>", "no lang attribute")
    divisions: list[Division] = []
    if p.preamble:
        divisions.append(
            Division(
                key="preamble",
                kind="preamble",
                title=p.preamble_title or "Preamble",
                lines=[Line(key=f"preamble.{i}", text=t) for i, t in enumerate(p.preamble, 1)],
            )
        )
    for n in sorted(p.articles):
        heading, lines = p.articles[n]
        divisions.append(
            Division(
                key=f"art.{n}",
                kind="article",
                title=heading or f"Article {n}",
                lines=[Line(key=f"art.{n}.{i}", text=t) for i, t in enumerate(lines, 1)],
            )
        )
    missing = [n for n in range(1, ARTICLES + 1) if n not in p.articles]
    return _Declaration(
        code=code,
        path=path,
        lang=lang,
        iso6393=p.html_attrs.get("data-iso6393", "").strip(),
        title=p.title,
        text=Text(divisions=divisions),
        missing=missing,
    )


def _describe_missing(missing: list[int]) -> str:
    have = ARTICLES - len(missing)
    shown = ", ".join(str(n) for n in missing[:10]) + (", ..." if len(missing) > 10 else "")
    return f"incomplete: {have} of {ARTICLES} articles (missing {shown})"


_LANG_ATTR = re.compile(r"<html\b[^>]*\blang=\"([^\"]*)\"", re.I)


def _head_lang(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            m = _LANG_ATTR.search(fh.read(1024))
    except OSError:
        return ""
    return m.group(1) if m else ""
