"""The keys of the publications' frames (the CSV file stems) and the folder of the PDFs,
shared by the HTML site and the PDF renderer."""

from regiorapportage.render import banenafspraak_texts as ba_texts

BESCHUT_WERK = "beschut_werk"
BESCHUT_WERK_REEKS = "beschut_werk_reeks"
TREND = ba_texts.TREND.key
REEKS = "banenafspraak_reeks"
FACTSHEET = ba_texts.FACTSHEET.key
KLANTPROFIELEN = ba_texts.KLANTPROFIELEN.key
PDF_DIR = "pdf"
