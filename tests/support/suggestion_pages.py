"""The new-indicator page of a result, and the bank indicators it suggests, as tests read them."""

from __future__ import annotations

import html
import re
from typing import Any


def indicator_page(client: Any, result: Any, query: str = "") -> str:
    """The page's text, entities unescaped; it must answer 200."""
    response = client.get(f"/projects/{result.project_id}/framework/indicators/new"
                          f"?result={result.id}{query}")
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def suggested_codes(page: str) -> list[str]:
    """The codes of the suggested bank indicators, in the order shown."""
    section = page.split('class="card bank-suggestions"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<span class="code">(PVE-[A-Z]{3}-\d\d)</span>', section)
