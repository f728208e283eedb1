"""Human-readable renderings of the publications (HTML, XLSX, PDF, SVG charts).

The long-format table of a publication is the single source of every number shown: the
renderers format, they never compute (DESIGN: Publications, Render).

``write_html``, ``write_xlsx`` and ``write_pdf`` render every publication of a run that is
present in ``frames``; ``write_beschut_werk_html`` and ``write_beschut_werk_xlsx`` render the Rapportage
beschut werk on its own.
"""

from regiorapportage.render.beschut_werk_html import write_beschut_werk_html
from regiorapportage.render.beschut_werk_xlsx import write_beschut_werk_xlsx
from regiorapportage.render.formatting import (
    capitalize_first,
    format_date,
    format_month,
    format_number,
    format_percentage,
    month_abbreviation,
    month_name,
)
from regiorapportage.render.pdf import write_pdf
from regiorapportage.render.site import write_html
from regiorapportage.render.workbooks import write_xlsx
from regiorapportage.render.xlsx_common import sheet_name

__all__ = [
    "capitalize_first",
    "format_date",
    "format_month",
    "format_number",
    "format_percentage",
    "month_abbreviation",
    "month_name",
    "sheet_name",
    "write_beschut_werk_html",
    "write_beschut_werk_xlsx",
    "write_html",
    "write_pdf",
    "write_xlsx",
]
