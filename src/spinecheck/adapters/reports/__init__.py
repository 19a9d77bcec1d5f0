"""Reports: the diary's SVG charts, the report for the doctor as HTML, and as PDF (WeasyPrint)."""
