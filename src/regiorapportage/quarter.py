"""Reporting periods and their dates: quarters (SPEC T-1, T-5) and years (the annual
publications, LM-1, LM-2). Both give a run its peildatum, its output folder name, its
reliability date and its Dutch label; ``parse_period`` reads either."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from regiorapportage.errors import UserError

_QUARTER_RE = re.compile(r"^(\d{4})[Qq]([1-4])$")
_YEAR_RE = re.compile(r"^(\d{4})$")

# The cadence of a period (a publication's ``cadence`` says which runs make it).
KWARTAAL = "kwartaal"
JAAR = "jaar"

FIRST_YEAR, LAST_YEAR = 2000, 2099  # the banenafspraak runs from 2013; room on both sides

QUARTER_NAMES_NL = {1: "Eerste", 2: "Tweede", 3: "Derde", 4: "Vierde"}


def add_months(d: date, months: int) -> date:
    """``d`` plus ``months`` calendar months; a day past the end of the target month
    becomes that month's last day (31 March + 3 months = 30 June)."""
    index = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(d.day, last))


@dataclass(frozen=True, order=True)
class Quarter:
    """A reporting quarter ``YYYYQn`` (T-1)."""

    year: int
    number: int

    cadence = KWARTAAL
    reliable_months = 3  # T-5

    def __post_init__(self) -> None:
        if self.number not in (1, 2, 3, 4):
            raise UserError(f"kwartaal {self.year}Q{self.number} bestaat niet (1 t/m 4)")
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise UserError(f"jaar {self.year} valt buiten {FIRST_YEAR} t/m {LAST_YEAR}")

    @classmethod
    def parse(cls, text: str) -> "Quarter":
        match = _QUARTER_RE.match(text.strip())
        if not match:
            raise UserError(
                f"'{text}' is geen kwartaal: schrijf het als JJJJQn, bijvoorbeeld 2019Q2"
            )
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def peildatum(self) -> date:
        """P: the last day of the quarter (T-1)."""
        month = 3 * self.number
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def previous(self) -> "Quarter":
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    @property
    def next(self) -> "Quarter":
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def shift(self, quarters: int) -> "Quarter":
        index = self.year * 4 + (self.number - 1) + quarters
        return Quarter(index // 4, index % 4 + 1)

    @property
    def reliable_from(self) -> date:
        """T-5: payroll data is reliable three months after P."""
        return add_months(self.peildatum, self.reliable_months)

    @property
    def label_nl(self) -> str:
        """'Tweede kwartaal 2019'."""
        return f"{QUARTER_NAMES_NL[self.number]} kwartaal {self.year}"


@dataclass(frozen=True, order=True)
class Jaar:
    """A reporting year ``YYYY`` of the annual publications: peildatum 31 December (LM-1);
    the payroll data is reliable six months after it (LM-2, T-5 with six months)."""

    year: int

    cadence = JAAR
    reliable_months = 6  # LM-2

    def __post_init__(self) -> None:
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise UserError(f"jaar {self.year} valt buiten {FIRST_YEAR} t/m {LAST_YEAR}")

    @classmethod
    def parse(cls, text: str) -> "Jaar":
        match = _YEAR_RE.match(str(text).strip())
        if not match:
            raise UserError(f"'{text}' is geen jaar: schrijf het als JJJJ, bijvoorbeeld 2019")
        return cls(int(match.group(1)))

    def __str__(self) -> str:
        return f"{self.year}"

    @property
    def first_day(self) -> date:
        return date(self.year, 1, 1)

    @property
    def peildatum(self) -> date:
        return date(self.year, 12, 31)

    @property
    def previous(self) -> "Jaar":
        return Jaar(self.year - 1)

    @property
    def next(self) -> "Jaar":
        return Jaar(self.year + 1)

    @property
    def reliable_from(self) -> date:
        """LM-2: the payroll extract must be taken at least six months after P."""
        return add_months(self.peildatum, self.reliable_months)

    @property
    def label_nl(self) -> str:
        """'Jaar 2019'."""
        return f"Jaar {self.year}"


Period = Quarter | Jaar


def parse_period(text: "str | Quarter | Jaar") -> Period:
    """A quarter ``JJJJQn`` or a year ``JJJJ``."""
    if isinstance(text, (Quarter, Jaar)):
        return text
    if _YEAR_RE.match(str(text).strip()):
        return Jaar.parse(text)
    return Quarter.parse(text)
