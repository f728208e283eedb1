"""The blocks of the PDF template (``typst/rapport.typ``) as plain data: tables, charts,
paragraphs, definitions. Publications' views and the PDF builder (``pdf.py``) make their
reports from these; no Typst markup is generated from strings."""

from __future__ import annotations

from collections.abc import Iterable

Block = dict


def table(view: dict, **extra) -> Block:
    """A table view (``views.View.table_view``) as a template block."""
    return {
        "soort": "tabel",
        "titel": view["titel"],
        "teken": extra.pop("teken", ""),
        "hoek": view.get("hoek", ""),
        "kolommen": list(view.get("kolommen", [])),
        "rijen": [
            {
                "label": r["label"],
                "cells": list(r["cells"]),
                "totaal": bool(r.get("totaal")),
                "teken": r.get("teken", ""),
            }
            for r in view["rijen"]
        ],
        "groep_kop": view.get("groep_kop", ""),
        "groep_rijen": [
            {"label": r["label"], "cells": list(r["cells"]), "totaal": False, "teken": r.get("teken", "")}
            for r in view.get("groep_rijen", [])
        ],
        "noten": list(view.get("noten", [])),
        **extra,
    }


def side_by_side(tables: list[Block]) -> list[Block]:
    if len(tables) < 2:
        return tables
    return [{"soort": "naast", "tabellen": tables}]


def paragraphs(kop: str | None, alineas: Iterable[str]) -> Block:
    return {"soort": "alineas", "kop": kop, "alineas": list(alineas)}


def definitions(kop: str, paren: Iterable[tuple[str, str]]) -> Block:
    return {"soort": "definities", "kop": kop, "paren": [[t, x] for t, x in paren]}


def chart(titel: str, svg: object, noten: Iterable[str] = (), alt: str | None = None) -> Block:
    return {"soort": "grafiek", "titel": titel, "svg": str(svg), "noten": list(noten), "alt": alt or titel}


def series_blocks(g: dict, tabel_hoek: str = "Kwartaal (peildatum)") -> list[Block]:
    """A series view (chart, year-earlier comparison, the series as a table) as blocks."""
    if not g:
        return []
    notes = [g["geen_jaar_eerder"]] if g.get("geen_jaar_eerder") else []
    blocks = [chart(g["titel"], g["svg"], notes)]
    vergelijking = g.get("vergelijking") or {}
    if vergelijking.get("kolommen"):
        blocks.append(table({
            "titel": "Hetzelfde kwartaal een jaar eerder en nu",
            "kolommen": vergelijking["kolommen"],
            "rijen": vergelijking["rijen"],
            "noten": [g["noot"]] if g.get("noot") else [],
        }))
    elif g.get("noot"):
        blocks.append({"soort": "noot", "tekst": g["noot"]})
    if g.get("tabel_rijen"):
        reeks = table({
            "titel": g["tabel_titel"],
            "hoek": tabel_hoek,
            "kolommen": g["tabel_kolommen"],
            "rijen": [{**r, "totaal": False} for r in g["tabel_rijen"]],
            "noten": [g["tabel_noot"]] if g.get("tabel_noot") else [],
        }, compact=True, kolombreedte=26)
        for row, source in zip(reeks["rijen"], g["tabel_rijen"], strict=True):
            row["nadruk"] = bool(source.get("gemarkeerd"))
        blocks.append(reeks)
    return blocks
