"""CSV files meant for spreadsheets: no cell is ever read as a formula."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any, Protocol

# A cell starting with one of these is a formula (or becomes one) in Excel, LibreOffice
# and Google Sheets: "=HYPERLINK(...)", "@SUM(...)", "+1+cmd|..."; OWASP's advice is to
# prefix such a cell with a single quote, which spreadsheets show as plain text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class _Writable(Protocol):
    def write(self, value: str, /) -> Any: ...


# A spreadsheet set to another separator (";" in French Excel and LibreOffice) splits a
# comma file's cell at that character: what follows it starts a cell of its own.
_FORMULA_AFTER_SEPARATOR = re.compile(r"([,;\t|]\s*)(?=[=+\-@])")


def spreadsheet_cell(value: Any) -> Any:
    """Neutralise a text cell that a spreadsheet would run; numbers stay numbers."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value[0] + _FORMULA_AFTER_SEPARATOR.sub(r"\1'", value[1:])
    return _FORMULA_AFTER_SEPARATOR.sub(r"\1'", value)


class SpreadsheetWriter:
    """``csv.writer`` whose every text cell goes through ``spreadsheet_cell``."""

    def __init__(self, file: _Writable, **options: Any) -> None:
        self._writer = csv.writer(file, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([spreadsheet_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class _Echo:
    """A file that hands back what is written, for streamed answers."""

    def write(self, value: str) -> str:
        return value


def csv_writer(file: _Writable | None = None, **options: Any) -> SpreadsheetWriter:
    """The project's only CSV writer; without a file, ``writerow`` returns the line."""
    return SpreadsheetWriter(file if file is not None else _Echo(), **options)
