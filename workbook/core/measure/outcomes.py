"""Which request succeeded: `--outcomes CSV` by trace id (a header row names the columns), else the
root span's outcome attribute (`app.outcome`, or `--outcome-attribute KEY`), else technical success.

    trace_id,success
    29168719620e2849da3e32746b5a7bb8,true

The attribute counts as success when it is boolean true, 1, or a word in TRUE ("success", "ok" ...),
as failure when false, 0 or a word in FALSE; any other value is no outcome (see traces.outcome_of).
"""

from __future__ import annotations

import csv
from pathlib import Path

from workbook.core.errors import FileError
from workbook.core.measure.otlp import Malformed, parse_id

# No convention names an outcome yet: an application attribute, in the `app.` namespace as the
# correction event (logs.DEFAULT_CORRECTION) is.
DEFAULT_OUTCOME_ATTRIBUTE = "app.outcome"
ID_COLUMNS = ("trace_id", "traceid", "trace")
SUCCESS_COLUMNS = ("success", "successful", "outcome")
TRUE = frozenset({"true", "yes", "1", "success", "succeeded", "ok"})
FALSE = frozenset({"false", "no", "0", "failure", "failed", "fail"})


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    return None


def read_outcomes(path: Path) -> dict[str, bool]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = csv.reader(handle)
            header = next(rows, None)
            if header is None:
                raise FileError.at(path, "line 1", "empty: expected a header row with trace_id and success")
            id_col, ok_col = _column(header, ID_COLUMNS), _column(header, SUCCESS_COLUMNS)
            if id_col is None or ok_col is None:
                raise FileError.at(path, "line 1", "the header must name a trace_id and a success column")
            out: dict[str, bool] = {}
            for row in rows:
                line = rows.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) <= max(id_col, ok_col):
                    raise FileError.at(path, f"line {line}", f"{len(row)} column(s); the header has {len(header)}")
                try:
                    trace_id = parse_id(row[id_col].strip(), 16, "trace_id")
                except Malformed as exc:
                    raise FileError.at(path, f"line {line}", str(exc)) from None
                value = row[ok_col].strip().lower()
                if value not in TRUE | FALSE:
                    raise FileError.at(path, f"line {line}",
                                       f"success {row[ok_col][:40]!r} is not true or false (yes/no, 1/0)")
                out[trace_id] = value in TRUE
            return out
    except UnicodeDecodeError as exc:
        raise FileError.at(path, "", f"not UTF-8 text: {exc.reason}") from None
    except csv.Error as exc:
        raise FileError.at(path, "", f"not CSV: {exc}") from None
    except OSError as exc:
        raise FileError.at(path, "", f"cannot read: {exc.strerror or exc}") from None
