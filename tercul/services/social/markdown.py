"""The Markdown subset readers write in (comments, collection descriptions).

CommonMark without raw HTML: tags typed in the text are shown as text, never passed
through. Links keep only http(s) and mailto targets and carry ``rel="nofollow ugc"``;
images are shown as their link (readers do not embed pictures in the page); headings
become bold paragraphs so that a comment never outranks the page's own headings.
"""
from __future__ import annotations

from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markupsafe import Markup

_SAFE_SCHEMES = ("http:", "https:", "mailto:")
MAX_LENGTH = 10_000


def _validate_link(url: str) -> bool:
    target = url.strip().lower()
    if ":" not in target.split("/", 1)[0] and not target.startswith("//"):
        return True  # relative: a path on this site
    return target.startswith(_SAFE_SCHEMES)


def _link_open(self, tokens, idx, options, env):
    tokens[idx].attrSet("rel", "nofollow ugc")
    return self.renderToken(tokens, idx, options, env)


def _image(self, tokens, idx, options, env):
    token = tokens[idx]
    src = escapeHtml(token.attrGet("src") or "")
    alt = escapeHtml(token.content or src)
    return f'<a href="{src}" rel="nofollow ugc">{alt}</a>'


def _heading_open(self, tokens, idx, options, env):
    return "<p><strong>"


def _heading_close(self, tokens, idx, options, env):
    return "</strong></p>\n"


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["html_block", "html_inline"])
    md.validateLink = _validate_link
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("image", _image)
    md.add_render_rule("heading_open", _heading_open)
    md.add_render_rule("heading_close", _heading_close)
    return md


_MD = _parser()


def render_markdown(text: str | None) -> Markup:
    """``text`` (the Markdown subset) as safe HTML."""
    if not text:
        return Markup("")
    return Markup(_rendered(text[:MAX_LENGTH]))


@lru_cache(maxsize=4096)
def _rendered(text: str) -> str:
    # about a millisecond a comment: a thread of 50 shown on every request would spend
    # most of its time here; the same text always gives the same HTML
    return _MD.render(text)
