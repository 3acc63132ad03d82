"""Who counts as a visitor, without knowing who they are.

A view counts once per visitor, object and day. The visitor is a keyed hash of their
address and user agent under a salt drawn at random for each day (UTC) and kept only
in the view buffer for that day: once the salt is gone, yesterday's hashes cannot be
recomputed from an address, even by us. No address, user id or hash reaches the
database; the counts there are per object and day.

Not counted: user agents that say they are robots (and requests without one), and
readers who ask not to be tracked (``DNT: 1`` or ``Sec-GPC: 1``).
"""
from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

# user agents that say they are programs: crawlers, previews, monitors, HTTP libraries
BOT_AGENT = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|scrap|archiv|preview|monitor|uptime|headless|lighthouse|pingdom|"
    r"facebookexternalhit|embedly|curl/|wget/|python-|httpx|aiohttp|okhttp|go-http|java/|libwww|"
    r"node-fetch|axios/|phantomjs|feedfetcher|^mozilla/5\.0$", re.IGNORECASE)


@dataclass(frozen=True)
class Visit:
    """What a request says about its reader, as plain strings (the web layer fills it)."""

    address: str
    user_agent: str
    do_not_track: str | None = None  # the DNT header
    global_privacy_control: str | None = None  # the Sec-GPC header


def is_bot(user_agent: str | None) -> bool:
    """True for user agents that say they are robots, and for requests without one."""
    agent = (user_agent or "").strip()
    return not agent or bool(BOT_AGENT.search(agent))


def opted_out(visit: Visit) -> bool:
    """True when the reader asked not to be tracked (DNT or Global Privacy Control)."""
    return (visit.do_not_track or "").strip() == "1" or (visit.global_privacy_control or "").strip() == "1"


def countable(visit: Visit) -> bool:
    """Whether a view by ``visit`` may be counted at all."""
    return not opted_out(visit) and not is_bot(visit.user_agent)


def visitor_digest(salt: bytes, visit: Visit, kind: str, target_id: int) -> str:
    """The day's hash of (visitor, object): equal for the same reader of the same object that day."""
    message = "\x1f".join((visit.address, visit.user_agent[:300], kind, str(target_id))).encode()
    return hmac.new(salt, message, hashlib.sha256).hexdigest()[:32]
