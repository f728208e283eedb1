"""The Jinja2 environment for the HTML reports: compiled once, autoescaped, strict."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import jinja2
from markupsafe import Markup

from regiorapportage.render.formatting import format_date, format_number, format_percentage

# meta keys shown in the footer, in this order, with their Dutch label; other keys follow
# sorted by name.
META_LABELS = (
    ("software_version", "Software"),
    ("run_id", "Run"),
    ("generated", "Gemaakt op"),
)


@lru_cache(maxsize=8)
def environment(packages: tuple[str, ...] = ()) -> jinja2.Environment:
    """The environment; ``packages`` are further packages with a ``templates`` folder (the
    publications' own section templates), each reached under its own prefix — the package's
    last name, ``banenafspraak/factsheet.html.j2`` — so that no template shadows another."""
    prefixed = {package.rsplit(".", 1)[-1]: jinja2.PackageLoader(package, "templates") for package in packages}
    loaders = [jinja2.PackageLoader("regiorapportage.render", "templates"), jinja2.PrefixLoader(prefixed)]
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["nl_number"] = format_number
    env.filters["nl_percentage"] = format_percentage
    env.filters["nl_date"] = format_date
    return env


@lru_cache(maxsize=1)
def stylesheet() -> Markup:
    """The shared CSS, inlined in every page so that each file works on its own offline."""
    css = resources.files("regiorapportage.render").joinpath("templates/style.css")
    return Markup(css.read_text(encoding="utf-8"))


def meta_items(meta: dict | None, labels: tuple[tuple[str, str], ...] = ()) -> list[tuple[str, str]]:
    """(label, value) pairs of ``meta`` for a footer, in a fixed order: the run's own facts,
    then those a publication labels (``labels``, its view's ``meta_labels``), then the rest
    by name."""
    meta = dict(meta or {})
    items = []
    for key, label in (*META_LABELS, *labels):
        if key in meta and meta[key] not in (None, ""):
            items.append((label, str(meta.pop(key))))
    for key in sorted(meta, key=str):
        if meta[key] not in (None, ""):
            items.append((str(key), str(meta[key])))
    return items
