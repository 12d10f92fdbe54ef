"""The bundled CJK font, registered with reportlab once per process."""

from __future__ import annotations

import threading

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from counter_app.core.paths import cjk_font_file

#: The reportlab name of the bundled font (WenQuanYi Micro Hei, first face of the TTC).
CJK_FONT = "CJK"

_lock = threading.Lock()


def register_cjk_font() -> str:
    """Register ``resources/fonts/wqy-microhei.ttc`` as :data:`CJK_FONT` and return that name.

    Parsing the 5 MB collection takes about 0.1 s, so it is done only the first time; PDFs embed
    the subset of glyphs they use (reportlab's default for TrueType fonts).
    """
    with _lock:
        if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
            path = cjk_font_file()
            if not path.is_file():
                raise FileNotFoundError(f"the bundled CJK font is missing: {path}")
            pdfmetrics.registerFont(TTFont(CJK_FONT, str(path), subfontIndex=0))
    return CJK_FONT


def cjk_postscript_name() -> str:
    """The font's PostScript name as it appears in a PDF's /BaseFont (after the subset tag)."""
    font = pdfmetrics.getFont(register_cjk_font())
    name = font.face.name
    return name.decode("ascii") if isinstance(name, bytes) else str(name)
