"""Input sources: the contract as data (``schema``) and their validation (``validate``)."""

from regiorapportage.sources.schema import SOURCES, Source
from regiorapportage.sources.validate import Inputs, SourceResult, load_inputs

__all__ = ["SOURCES", "Source", "Inputs", "SourceResult", "load_inputs"]
