"""The report for the doctor as PDF, laid out by WeasyPrint from the same HTML."""

from __future__ import annotations

import logging


class PdfUnavailableError(RuntimeError):
    """WeasyPrint or its system libraries (pango) are missing; `bash scripts/setup.sh` installs them."""


def html_to_pdf(html: str) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:
        raise PdfUnavailableError(
            "PDF needs WeasyPrint and Debian's pango libraries: run `bash scripts/setup.sh`"
        ) from error
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
