"""Pure rules of a municipality's branding (no I/O): its code, an accent colour that keeps WCAG 2.1
AA contrast, and a coat of arms that is a small raster image (never SVG, which can carry script)."""
from __future__ import annotations

import re

DEFAULT_ACCENT = "#1d5e8c"
MIN_CONTRAST = 4.5  # WCAG 2.1 AA for normal text: the accent is used for links on white and
                    # as the background of buttons with white text, so it must hold against white
MAX_IMAGE_BYTES = 200 * 1024
_CODE = re.compile(r"^[a-z][a-z0-9-]{1,39}$")
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
SIGNATURES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def valid_code(code: str) -> bool:
    return bool(_CODE.match(code))


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """Relative luminance of #rrggbb (WCAG 2.1)."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def accent_problem(colour: str) -> str | None:
    """Why `colour` cannot be the accent, or None."""
    if not _HEX.match(colour or ""):
        return "Give the colour as #rrggbb."
    ratio = contrast(colour, "#ffffff")
    if ratio < MIN_CONTRAST:
        return f"Contrast with white is {ratio:.2f}:1; it must be at least {MIN_CONTRAST}:1 (choose a darker colour)."
    return None


def image_type(data: bytes) -> str | None:
    for signature, kind in SIGNATURES.items():
        if data.startswith(signature):
            return kind
    return None


def image_problem(data: bytes) -> str | None:
    if len(data) > MAX_IMAGE_BYTES:
        return f"At most {MAX_IMAGE_BYTES // 1024} KiB."
    if image_type(data) is None:
        return "Use a PNG or JPEG image."
    return None
