"""What the monitor page, the PDF and the workbook show (LM-6, LM-7): the banen per sector
with nulmeting, extra banen, target and whether it is met; the inleenverbanden and the key
that was applied and why; the quotum text for a sector that misses its target (a
possibility, never a decision); a chart per sector of extra banen against the target path,
2013 … Y; and the series as a table. Every number is looked up in the long table."""

from __future__ import annotations

from dataclasses import replace

from markupsafe import Markup

from regiorapportage.measures.region import NEDERLAND
from regiorapportage.publications.base import AANDEEL, BANEN, TableSpec
from regiorapportage.publications.landelijke_monitor import texts
from regiorapportage.publications.landelijke_monitor.vocabulary import REEKS_TABEL, SECTOR_LABELS, SECTOREN
from regiorapportage.render import pdf_blocks as b
from regiorapportage.render.charts import Series, annual_series_svg
from regiorapportage.render.formatting import format_number
from regiorapportage.render.model import RegionValues
from regiorapportage.render.views import Data, Sections, View, cell_text

PACKAGE = "regiorapportage.publications.landelijke_monitor"
COLORS = {"markt": "#123f6d", "overheid": "#2e7d32"}
GEHAALD_KOLOMMEN = ("doel_gehaald", "markt_doel_gehaald", "overheid_doel_gehaald")


def series_years(region: RegionValues) -> list[str]:
    return sorted({rij for (tabel, rij, _) in region.values if tabel == REEKS_TABEL})


def aandeel_text(value) -> str:
    """A share as a percentage with one decimal: 0,278 → 27,8%."""
    return cell_text(value, AANDEEL)


class MonitorView(View):
    onderdeel = texts.ONDERDEEL
    toelichting = texts.TOELICHTING
    definities = texts.DEFINITIES
    leeg_reden = {"doel": texts.LEEG_DOEL, "verschil_met_doel": texts.LEEG_DOEL, "doel_gehaald": texts.LEEG_DOEL,
                  "markt_doel": texts.LEEG_DOEL, "overheid_doel": texts.LEEG_DOEL,
                  "markt_banen": texts.LEEG_SLEUTEL, "overheid_banen": texts.LEEG_SLEUTEL}
    templates = PACKAGE
    meta_labels = (("verdeelsleutel", "Verdeelsleutel"), ("nulmeting_monitor", "Nulmeting"),
                   ("nulmeting_sleutel_jaar", "Verdeelsleutel nulmeting (jaar)"),
                   ("nulmeting_sleutel", "Verdeelsleutel nulmeting"), ("verdeelsleutel_bron", "Bron verdeelsleutels"))
    data_waarde = ("Aantal; banen met twee decimalen; aandeel_overheid met vier decimalen; doel_gehaald 1 (ja) "
                   "of 0 (nee); leeg = geen doelstelling")

    def dates(self, quarter, meta):
        return texts.MonitorDates(quarter)

    def has_region(self, data: Data, code: str) -> bool:
        return code == NEDERLAND and code in data.main

    # --- tables --------------------------------------------------------------------------

    def spec_of(self, spec: TableSpec, region: RegionValues) -> TableSpec:
        """The series table with its years as rows (LM-7)."""
        if spec.tabel != REEKS_TABEL:
            return spec
        return replace(spec, rows=tuple((y, y) for y in series_years(region)))

    def region_note(self, code: str, jaar: int) -> str | None:
        return None  # national only (LM-1): there are no regions to compare with

    def table_view(self, region, spec, dates, id_prefix):
        spec = self.spec_of(spec, region)
        view = super().table_view(region, spec, dates, id_prefix)
        if spec.turned:
            return view
        codes = [c.code for c in spec.columns]
        for row, (rij, _) in zip(view["rijen"], spec.rows, strict=True):
            for i, kolom in enumerate(codes):
                if kolom in GEHAALD_KOLOMMEN:
                    row["cells"][i] = texts.ja_nee(region.value(spec.tabel, rij, kolom))
        return view

    def write_table(self, book, ws, row: int, region: RegionValues, spec) -> int:
        return book.table(ws, row, region, self.spec_of(spec, region))

    # --- texts ---------------------------------------------------------------------------

    def key_texts(self, data: Data, region: RegionValues) -> list[str]:
        jaar = region.value("verdeelsleutel", "toegepast", "jaar")
        aandeel = aandeel_text(region.value("verdeelsleutel", "toegepast", "aandeel_overheid"))
        year = data.quarter.year
        used = (texts.SLEUTEL_EIGEN if jaar == year else texts.SLEUTEL_EERDER).format(jaar=jaar, voor=year, aandeel=aandeel)
        out = [texts.SLEUTEL_UITLEG, used]
        if data.meta.get("verdeelsleutel_bron"):
            out.append(texts.SLEUTEL_BRON.format(bron=data.meta["verdeelsleutel_bron"]))
        nul = data.meta.get("nulmeting_monitor")
        if nul == "invoer":
            out.append(data.dates.fill(texts.NULMETING_INVOER))
        elif nul == "berekend":
            out.append(texts.NULMETING_BEREKEND.format_map({
                **data.dates.placeholders(),
                "nulmeting_sleutel_jaar": data.meta.get("nulmeting_sleutel_jaar", ""),
                "nulmeting_sleutel": aandeel_text(data.meta.get("nulmeting_sleutel", 0)),
            }))
        return out

    def target_texts(self, data: Data, region: RegionValues) -> list[dict]:
        """Per sector with a target: met or not, and the quotum text when not (LM-6)."""
        year = data.quarter.year
        if all(region.value("banen", s, "doel") is None for s in SECTOREN):
            return [{"tekst": texts.GEEN_DOEL.format(jaar=year), "quotum": None, "gehaald": None}]
        out = []
        for sector in SECTOREN:
            target = region.value("banen", sector, "doel")
            label = SECTOR_LABELS[sector]
            if target is None:
                out.append({"tekst": texts.GEEN_DOEL_SECTOR.format(sector=label, jaar=year), "quotum": None,
                            "gehaald": None})
                continue
            extra = region.value("banen", sector, "extra_banen")
            met = region.value("banen", sector, "doel_gehaald") == 1
            tekort = -region.value("banen", sector, "verschil_met_doel")
            # whole banen, unless rounding would hide that the target is missed (0,78 against 1)
            exact = not met and cell_text(tekort, BANEN) == "0"
            shown = (lambda v: format_number(v, decimals=2)) if exact else (lambda v: cell_text(v, BANEN))
            fill = dict(sector=label, extra=shown(extra), doel=format_number(target), jaar=year, tekort=shown(tekort),
                        sector_klein=label.lower(), banen="baan" if shown(extra) == "1" else "banen")
            niet = texts.DOEL_NET_NIET if exact and fill["tekort"] == "0,00" else texts.DOEL_NIET_GEHAALD
            out.append({
                "tekst": (texts.DOEL_GEHAALD if met else niet).format(**fill),
                "quotum": None if met else texts.QUOTUM.format(**fill),
                "gehaald": met,
            })
        return out

    def charts(self, data: Data, region: RegionValues) -> list[dict]:
        """LM-7: per sector, extra banen against the target path, 2013 … Y."""
        years = series_years(region)
        out = []
        for sector in SECTOREN if years else ():
            extra = tuple(region.value(REEKS_TABEL, y, f"{sector}_extra_banen") for y in years)
            doel = tuple(region.value(REEKS_TABEL, y, f"{sector}_doel") for y in years)
            title = texts.GRAFIEK_TITEL.format(sector=SECTOR_LABELS[sector], jaar=years[-1])
            desc = f"Lijngrafiek per jaar, {years[0]} tot en met {years[-1]}. " + " ".join(
                f"{y}: extra banen {cell_text(e, BANEN)}, doelstelling {cell_text(d, 'aantal')}."
                for y, e, d in zip(years, extra, doel, strict=True)
            )
            svg = annual_series_svg(
                [int(y) for y in years],
                [Series(texts.GRAFIEK_EXTRA, extra, COLORS[sector]),
                 Series(texts.GRAFIEK_DOEL, doel, "#c2570c", dash="7 4")],
                f"monitor-grafiek-{sector}", title, desc, y_title="Banen",
            )
            out.append({"titel": title, "svg": Markup(svg)})
        return out

    def _section(self, data: Data, region: RegionValues) -> dict:
        spec, dates = self.publication.main, data.dates
        tables = {t.tabel: self.table_view(region, t, dates, self.prefix) for t in spec.tables}
        return {
            "inleiding": [dates.fill(p) for p in texts.INLEIDING] + [texts.LANDELIJK],
            "banen": tables["banen"],
            "inleen": tables["inleenverbanden"],
            "sleutel": tables["verdeelsleutel"],
            "reeks": tables[REEKS_TABEL],
            "sleutel_kop": texts.SLEUTEL_KOP,
            "sleutel_teksten": self.key_texts(data, region),
            "doel_kop": texts.DOEL_KOP,
            "doelen": self.target_texts(data, region),
            "grafieken": self.charts(data, region),
            "reeks_noot": texts.REEKS_NOOT,
        }

    def html_section(self, data: Data, code: str, site) -> dict | None:
        region = data.main.get(code)
        if region is None or not self.has_region(data, code):
            return None
        d = data.dates.fill
        return {
            "template": "landelijke_monitor/monitor.html.j2",
            "id": self.publication.sectie,
            "titel": self.publication.titel,
            **self._section(data, region),
            "toelichting": [d(p) for p in self.toelichting],
            "definities": [(d(t), d(x)) for t, x in self.definities],
        }

    def pdf_sections(self, data: Data, code: str, pdf, numbers_only: bool = False) -> Sections:
        sec = self._section(data, data.main[code])
        cijfers = [b.paragraphs(None, sec["inleiding"]), b.table(sec["banen"], kolombreedte=22)]
        cijfers.append(b.paragraphs(sec["doel_kop"], [
            t for item in sec["doelen"] for t in (item["tekst"], item["quotum"]) if t
        ]))
        cijfers += [b.chart(g["titel"], g["svg"]) for g in sec["grafieken"]]
        cijfers += b.side_by_side([b.table(sec["inleen"]), b.table(sec["sleutel"])])
        cijfers.append(b.paragraphs(sec["sleutel_kop"], sec["sleutel_teksten"]))
        cijfers.append(b.table({**sec["reeks"], "noten": [*sec["reeks"]["noten"], sec["reeks_noot"]]},
                               compact=True, kolombreedte=16))
        d = data.dates.fill
        teksten = [b.paragraphs("Toelichting", [d(p) for p in self.toelichting]),
                   b.definitions(self.definities_kop, [(d(t), d(x)) for t, x in self.definities])]
        return Sections(cijfers, teksten)

    def workbook_paragraphs(self, data: Data) -> list[str]:
        region = data.main.get(NEDERLAND)
        extra = []
        if region is not None:
            extra = self.key_texts(data, region) + [
                t for item in self.target_texts(data, region) for t in (item["tekst"], item["quotum"]) if t
            ]
        return [data.dates.fill(p) for p in texts.INLEIDING] + [texts.LANDELIJK] + extra + [
            data.dates.fill(p) for p in self.toelichting
        ]
