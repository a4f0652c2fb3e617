"""An embeddable badge per record: ``badge.svg`` (static SVG) and ``badge.json`` (shields.io endpoint format).

White text on every background below meets WCAG AA (contrast ratio at least
4.5:1, checked by the tests with :func:`contrast_ratio`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from ..model import Record
from ..render import Page, Renderer
from .urls import record_path

LABEL = "gate"
TEXT = "#ffffff"
LABEL_BACKGROUND = "#3d3d3d"
VERDICT_BACKGROUNDS = {"verified": "#116329", "unverified": "#8a4600"}
OTHER_BACKGROUND = "#0a4b8f"
WITHDRAWN_BACKGROUND = "#5c2d91"
CHAR_WIDTH, PADDING, HEIGHT = 7, 10, 20


def message(record: Record) -> str:
    if record.withdrawn:
        return f"Withdrawn · was {record.gate.status} · {record.tier.name}"
    return f"{record.gate.status} · {record.tier.name}"


def background(record: Record) -> str:
    if record.withdrawn:
        return WITHDRAWN_BACKGROUND
    return VERDICT_BACKGROUNDS.get(record.gate.status.casefold(), OTHER_BACKGROUND)


def _luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def badge_svg(record: Record) -> str:
    text = message(record)
    left = len(LABEL) * CHAR_WIDTH + 2 * PADDING
    right = len(text) * CHAR_WIDTH + 2 * PADDING
    title = f"{LABEL}: {text} (record {record.id})"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + right}" height="{HEIGHT}" '
        f'role="img" aria-label={quoteattr(title)}>\n'
        f"<title>{escape(title)}</title>\n"
        f'<rect width="{left}" height="{HEIGHT}" fill="{LABEL_BACKGROUND}"/>\n'
        f'<rect x="{left}" width="{right}" height="{HEIGHT}" fill="{background(record)}"/>\n'
        f'<g fill="{TEXT}" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">\n'
        f'<text x="{left / 2:g}" y="14">{escape(LABEL)}</text>\n'
        f'<text x="{left + right / 2:g}" y="14">{escape(text)}</text>\n'
        "</g>\n</svg>\n"
    )


def shields_endpoint(record: Record) -> dict[str, object]:
    """https://shields.io/badges/endpoint-badge: the same badge, drawn by shields.io."""
    return {"schemaVersion": 1, "label": LABEL, "message": message(record), "color": background(record).lstrip("#")}


def badge_files(renderer: Renderer, record: Record, attachments: Path) -> Iterable[Page]:
    folder = record_path(record.id)
    yield folder + "badge.svg", badge_svg(record).encode("utf-8")
    yield folder + "badge.json", (json.dumps(shields_endpoint(record), ensure_ascii=False) + "\n").encode("utf-8")
