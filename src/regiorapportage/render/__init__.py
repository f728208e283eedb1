"""Human-readable renderings of the publications (HTML, XLSX, PDF, SVG charts).

The long-format tables of a run are the single source of every number shown: the renderers
format, they never compute (DESIGN: Publications, Render). One page generator
(``site.write_html``), one workbook writer (``workbooks.write_xlsx``) and one PDF builder
(``pdf.write_pdf``) serve every publication, each driven by the publication's vocabulary and
its view (``views.View``); a :class:`~regiorapportage.render.job.RenderJob` holds the run's
tables and publications. Nothing in this package names a publication.

The writers are loaded on first use, so that the primitives (formatting, charts, views) can
be imported by the publications without loading the writers.
"""

from importlib import import_module

_WRITERS = {"RenderJob": "job", "write_html": "site", "write_pdf": "pdf", "write_xlsx": "workbooks"}

__all__ = list(_WRITERS)


def __getattr__(name: str):
    if name in _WRITERS:
        return getattr(import_module(f"regiorapportage.render.{_WRITERS[name]}"), name)
    raise AttributeError(f"module 'regiorapportage.render' has no attribute {name!r}")
