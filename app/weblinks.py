"""Web addresses that users store (event reports, evidence links): one rule for all of them.

An address typed without its scheme ("www.example.org/report") would be rendered as a link
relative to the page and lead nowhere, so it is completed with ``https://`` when it is saved;
anything that is still not an absolute http(s) address with a host is refused.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# A bare host name at the start ("www.example.org", "example.org/x"): letters, digits and
# hyphens in dot-separated labels, ending in a top-level domain of letters.
_BARE_HOST = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?::\d+)?(?:[/?#]|$)",
                        re.IGNORECASE)


def normalise_web_address(text: str | None) -> str | None:
    """The address as it should be stored: trimmed, and with ``https://`` when it starts with
    a bare host name. None or blank gives None. Other text is returned trimmed, for
    :func:`is_web_address` to judge."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    if "://" not in text and _BARE_HOST.match(text):
        return "https://" + text
    return text


def is_web_address(text: str) -> bool:
    """Whether ``text`` is an absolute http or https address with a host and no spaces."""
    if any(c.isspace() for c in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)


def link_target(stored: str | None) -> str | None:
    """Where a stored address may be linked to: completed as when saving, and None when it
    is not a web address (shown as text then, never as a link relative to the page).
    Addresses saved before the rule existed are read through it too."""
    address = normalise_web_address(stored)
    return address if address is not None and is_web_address(address) else None
