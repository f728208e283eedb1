"""Template contexts of the banenafspraak sections of a region page: Trendrapportage (TR),
Factsheet (FS) and Transparantie klantprofielen (KP).

Every number is looked up in the publication's long table (or the trend's time series) and
formatted here; nothing is computed (DESIGN: Render). Empty cells (``None``: a value that
could not be computed) are shown as "–" with the reason under the table.
"""

from __future__ import annotations

from markupsafe import Markup

from regiorapportage.quarter import Quarter
from regiorapportage.render import banenafspraak_texts as texts
from regiorapportage.render.charts import Flow, Series, flow_svg, time_series_svg
from regiorapportage.render.formatting import format_date, format_number, format_percentage
from regiorapportage.render.publication_model import (
    BANEN,
    PERCENTAGE,
    REEKS_COLUMNS,
    PublicationSpec,
    RegionSeries,
    RegionValues,
    TableSpec,
    Value,
)

NULMETING_KWARTAAL = Quarter(2012, 4)  # TR-3/TR-6: the series starts at the nulmeting


def cell_text(value: Value, kind: str) -> str:
    """A value as shown in the reports: banen in whole jobs rounded half up (BA-5), counts
    with Dutch separators, whole percentages with "%", an empty value as "–"."""
    if value is None:
        return texts.STREEPJE
    if kind == BANEN:
        return format_number(value, decimals=0)
    if kind == PERCENTAGE:
        return format_percentage(value)
    return format_number(value)


def empty_notes(empty_columns: list[str]) -> list[str]:
    """Why cells of this table are "–" (TR-3: no nulmeting; TR-5: no indication)."""
    notes: list[str] = []
    for kolom in empty_columns:
        reason = texts.LEEG_REDEN.get(kolom)
        if reason and reason not in notes:
            notes.append(reason)
    if empty_columns and not notes:
        notes.append(texts.LEEG_ALGEMEEN)
    return [f"{texts.STREEPJE} {note}" for note in notes]


def table_view(
    region: RegionValues, spec: TableSpec, dates: texts.BanenafspraakDates, id_prefix: str
) -> dict:
    """One table as caption, headings and formatted cells; tables of one row are turned."""
    empty: list[str] = []
    rows = []
    if spec.tabel in texts.TURNED_TABLES:
        (rij, _), = spec.rows
        headings: list[str] = []
        for column in spec.columns:
            value = region.value(spec.tabel, rij, column.code)
            if value is None:
                empty.append(column.code)
            rows.append(
                {"label": dates.fill(column.label), "totaal": False, "teken": "",
                 "cells": [cell_text(value, column.kind)]}
            )
    else:
        headings = [dates.fill(c.label) for c in spec.columns]
        for rij, label in spec.rows:
            cells = []
            for column in spec.columns:
                value = region.value(spec.tabel, rij, column.code)
                if value is None and column.code not in empty:
                    empty.append(column.code)
                cells.append(cell_text(value, column.kind))
            rows.append(
                {"label": dates.fill(label), "totaal": rij == "totaal", "teken": "", "cells": cells}
            )
    return {
        "id": f"{id_prefix}{spec.tabel.replace('_', '-')}",
        "titel": dates.fill(spec.titel),
        "hoek": "",
        "kolommen": headings,
        "rijen": rows,
        "noten": empty_notes(empty)
        + ([texts.TABEL_NOTEN[spec.tabel]] if spec.tabel in texts.TABEL_NOTEN else []),
        "gedraaid": spec.tabel in texts.TURNED_TABLES,
        "groep_kop": "",
        "groep_rijen": [],
    }


def _svg(markup: str) -> Markup:
    # Built by charts.py, which escapes every text it writes.
    return Markup(markup)


# --- Trendrapportage -----------------------------------------------------------------------


def _series_view(
    series: RegionSeries, quarter: Quarter, dates: texts.BanenafspraakDates, chart_id: str
) -> dict:
    """TR-6: the chart since the nulmeting, the same quarter a year earlier marked, both
    values stated; and the whole series as a table."""
    quarters = [q for q in series.quarters if NULMETING_KWARTAAL <= q <= quarter]
    if not quarters:
        return {}
    earlier = dates.jaar_eerder if dates.jaar_eerder in series.values else None
    current = quarter if quarter in series.values else None
    marked = [q for q in (earlier, current) if q is not None]
    banen = tuple(series.values[q]["banen"] for q in quarters)
    werkzaam = tuple(series.values[q]["werkzame_personen"] for q in quarters)
    fill = dict(nulmeting_kwartaal=quarters[0].label_nl.lower())
    title = texts.GRAFIEK_TITEL.format(**dates.placeholders(), **fill)
    compared = [
        (texts.GRAFIEK_REEKS_BANEN, "banen", BANEN),
        (texts.GRAFIEK_REEKS_WERKZAAM, "werkzame_personen", "aantal"),
    ]
    desc_parts = [
        f"Lijngrafiek van {quarters[0].label_nl.lower()} tot en met {quarters[-1].label_nl.lower()}."
    ]
    for label, kolom, kind in compared:
        for q in marked:
            desc_parts.append(
                f"{label} op {format_date(q.peildatum)}: {cell_text(series.value(q, kolom), kind)}."
            )
    svg = time_series_svg(
        quarters,
        [
            Series(texts.GRAFIEK_REEKS_BANEN, banen, "#123f6d"),
            Series(texts.GRAFIEK_REEKS_WERKZAAM, werkzaam, "#c2570c", dash="7 4"),
        ],
        marked,
        chart_id,
        title,
        " ".join(desc_parts),
    )
    vergelijking = {
        "kolommen": [format_date(q.peildatum) for q in marked],
        "rijen": [
            {"label": label, "cells": [cell_text(series.value(q, kolom), kind) for q in marked]}
            for label, kolom, kind in compared
        ],
    }
    table_rows = []
    for q in quarters:
        table_rows.append(
            {
                "label": f"{q.label_nl} ({format_date(q.peildatum, short_month=True)})",
                "gemarkeerd": q in marked,
                "cells": [cell_text(series.value(q, c.code), c.kind) for c in REEKS_COLUMNS],
            }
        )
    return {
        "svg": _svg(svg),
        "titel": title,
        "vergelijking": vergelijking,
        "geen_jaar_eerder": None if earlier else dates.fill(texts.GRAFIEK_GEEN_JAAR_EERDER),
        "noot": texts.GRAFIEK_VERGELIJKING_NOOT,
        "tabel_titel": texts.GRAFIEK_TABEL_TITEL,
        "tabel_kolommen": [c.label for c in REEKS_COLUMNS],
        "tabel_rijen": table_rows,
        "tabel_noot": (
            f"{texts.STREEPJE} {texts.LEEG_NULMETING}"
            if any(series.value(q, "extra_banen") is None for q in quarters)
            else None
        ),
    }


def trend_section(
    region: RegionValues | None,
    series: RegionSeries | None,
    quarter: Quarter,
    dates: texts.BanenafspraakDates,
) -> dict:
    prefix = "trend-"
    return {
        "id": "trendrapportage",
        "titel": texts.TREND_TITEL,
        "tabellen": (
            [table_view(region, spec, dates, prefix) for spec in texts.TREND.tables]
            if region is not None
            else []
        ),
        "grafiek": (
            _series_view(series, quarter, dates, f"{prefix}grafiek") if series is not None else {}
        ),
        "toelichting": [dates.fill(p) for p in texts.TREND_TOELICHTING],
        "definities": [(dates.fill(t), dates.fill(x)) for t, x in texts.TREND_DEFINITIES],
    }


# --- Factsheet -----------------------------------------------------------------------------


def _stromen_view(region: RegionValues, dates: texts.BanenafspraakDates) -> dict:
    """FS-3: the flows in the order of the balance, then the flows outside it."""
    spec = texts.FACTSHEET.table("stromen")
    labels = dict(spec.rows)
    rows = [
        {
            "label": dates.fill(labels[rij]),
            "teken": sign,
            "totaal": sign == texts.IS,
            "cells": [cell_text(region.value("stromen", rij, "personen"), "aantal")],
        }
        for rij, sign in texts.STROMEN_BALANS
    ]
    extra = [
        {
            "label": dates.fill(labels[rij]),
            "teken": "",
            "totaal": False,
            "cells": [cell_text(region.value("stromen", rij, "personen"), "aantal")],
        }
        for rij in texts.STROMEN_BUITEN_BALANS
    ]
    return {
        "id": "factsheet-stromen",
        "titel": dates.fill(spec.titel),
        "hoek": "",
        "kolommen": [],
        "rijen": rows,
        "groep_kop": texts.STROMEN_BUITEN_BALANS_KOP,
        "groep_rijen": extra,
        "noten": [],
        "gedraaid": True,
    }


def _flow_view(region: RegionValues, dates: texts.BanenafspraakDates) -> dict:
    def v(rij: str) -> int:
        return region.value("stromen", rij, "personen")

    start_label = dates.fill("Werkzaam op {vorige_peildatum}")
    end_label = dates.fill("Werkzaam op {peildatum}")
    inflows = [Flow(lines, v(rij)) for rij, lines in texts.STROOM_IN]
    outflows = [Flow(lines, v(rij)) for rij, lines in texts.STROOM_UIT]
    title = dates.fill(texts.STROOM_TITEL)
    described = [f"{start_label}: {format_number(v('werkzaam_vorige_peildatum'))}."]
    described += [f"Erbij: {' '.join(f.lines)} {format_number(f.value)}." for f in inflows]
    described += [f"Eraf: {' '.join(f.lines)} {format_number(f.value)}." for f in outflows]
    described.append(f"{end_label}: {format_number(v('werkzaam'))}.")
    # FS-3 as the reader can check it: every term looked up, in the order of the balance.
    terms = []
    for rij, sign in texts.STROMEN_BALANS:
        number = format_number(v(rij))
        terms.append(f"{sign} {number}" if sign else number)
    balance = " ".join(terms)
    svg = flow_svg(
        ("Werkzaam op", dates.fill("{vorige_peildatum}")), v("werkzaam_vorige_peildatum"),
        ("Werkzaam op", dates.fill("{peildatum}")), v("werkzaam"),
        inflows, outflows, "factsheet-stromen-grafiek", title, " ".join(described),
    )
    return {
        "svg": _svg(svg),
        "titel": title,
        "balans": balance,
        "balans_uitleg": dates.fill(texts.STROOM_BALANS_UITLEG),
    }


def factsheet_section(region: RegionValues, dates: texts.BanenafspraakDates) -> dict:
    spec = texts.FACTSHEET
    return {
        "id": "factsheet",
        "titel": texts.FACTSHEET_TITEL,
        "categorie": table_view(region, spec.table("categorie"), dates, "factsheet-"),
        "stroom": _flow_view(region, dates),
        "stromen": _stromen_view(region, dates),
        "instroom": table_view(region, spec.table("instroom_naar_grondslag"), dates, "factsheet-"),
        "uitstroom": table_view(region, spec.table("uitstroom_naar_reden"), dates, "factsheet-"),
        "toelichting": [dates.fill(p) for p in texts.FACTSHEET_TOELICHTING],
        "definities": [(dates.fill(t), dates.fill(x)) for t, x in texts.STROMEN_DEFINITIES],
    }


# --- Transparantie klantprofielen ---------------------------------------------------------


def klantprofielen_section(region: RegionValues, dates: texts.BanenafspraakDates) -> dict:
    spec = texts.KLANTPROFIELEN
    return {
        "id": "klantprofielen",
        "titel": texts.KLANTPROFIELEN_TITEL,
        "tabellen": [table_view(region, t, dates, "klantprofielen-") for t in spec.tables],
        "toelichting": [dates.fill(p) for p in texts.KLANTPROFIELEN_TOELICHTING],
        "definities": [(dates.fill(t), dates.fill(x)) for t, x in texts.KLANTPROFIELEN_DEFINITIES],
    }


def key_figure(region: RegionValues | None, spec: PublicationSpec, tabel: str, rij: str, kolom: str) -> str:
    """One formatted value for the index page ("" when the region is not in the table)."""
    if region is None:
        return ""
    return cell_text(region.value(tabel, rij, kolom), spec.column(tabel, kolom).kind)
