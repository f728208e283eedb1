"""Human-readable renderings of the publications (HTML, XLSX).

The long-format table of a publication is the single source of every number shown: the
renderers format, they never compute (DESIGN: Publications, Render).
"""

from regiorapportage.render.beschut_werk_html import write_beschut_werk_html
from regiorapportage.render.beschut_werk_xlsx import sheet_name, write_beschut_werk_xlsx
from regiorapportage.render.formatting import (
    capitalize_first,
    format_date,
    format_month,
    format_number,
    format_percentage,
    month_abbreviation,
    month_name,
)

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
]
