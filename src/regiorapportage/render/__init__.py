"""Human-readable renderings of the publications (HTML, XLSX, PDF, SVG charts).

The long-format tables of a run are the single source of every number shown: the renderers
format, they never compute (DESIGN: Publications, Render). One page generator
(``site.write_html``), one workbook writer (``workbooks.write_xlsx``) and one PDF builder
(``pdf.write_pdf``) serve every publication, each driven by the publication's vocabulary and
its view (``views.View``); a :class:`~regiorapportage.render.job.RenderJob` holds the run's
tables and publications. Nothing in this package names a publication.
"""

from regiorapportage.render.job import RenderJob
from regiorapportage.render.pdf import write_pdf
from regiorapportage.render.site import write_html
from regiorapportage.render.workbooks import write_xlsx

__all__ = ["RenderJob", "write_html", "write_pdf", "write_xlsx"]
