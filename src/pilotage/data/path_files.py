"""Read an aggregated path file (one row per distinct path) into PathCounts.

Columns (names by option): the path, its conversions, conversion value and non-converting
journeys, and optionally the days between each touch and the conversion. A path is written
``paid_search > email[lead] > webinar[opp] > demo[won]``: channels joined by the path
separator (default ``>``, spaces around names ignored), a touch optionally tagged with the
milestones it created (``[lead]``, ``[opp]``, ``[won]``, several as ``[lead,opp]``). A blank
path is a conversion with no known touch (reported as unattributed). Counts may be
fractional. Every bad cell is reported with its line, column and fix; nothing is half-read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pilotage.core.attribution.paths import STAGE_TAGS, PathCounts
from pilotage.data.readers.files import read_file
from pilotage.data.readers.raw import RawTable
from pilotage.data.schema import normalise_header
from pilotage.data.validation.numbers import (
    Mark,
    mark_evidence,
    mask,
    parse_digits,
    split_number_text,
)
from pilotage.errors import InputError, RowError

#: Characters people use between channels; one inside a channel name means a wrong --sep.
_OTHER_SEPARATORS = (">", "|", ",", ";", "/", "→", "»")
_TOKEN = r"^(?P<name>[^\[\]]*?)\s*(?:\[(?P<tags>[^\[\]]*)\])?$"
_AGE = r"^\s*[0-9]+(?:\.[0-9]+)?\s*$"


@dataclass(frozen=True)
class PathColumns:
    """Column names. ``value``, ``nulls`` and ``ages`` may be absent from the file (value 0,
    no non-converting journeys, no ages) unless listed in ``required``."""

    path: str = "path"
    conversions: str = "total_conversions"
    value: str = "total_conversion_value"
    nulls: str = "total_null"
    ages: str = "touch_ages"
    required: frozenset[str] = frozenset({"path", "conversions"})


def read_path_file(file: Path, columns: PathColumns | None = None, sep: str = ">") -> PathCounts:
    """The distinct paths of ``file`` with their counts; InputError lists every bad cell."""
    cols = columns or PathColumns()
    if not sep.strip():
        raise InputError(
            str(file), [RowError(None, None, sep, "the path separator is blank", "use e.g. '>'")]
        )
    raw = read_file(file)
    found = {normalise_header(c): c for c in raw.columns}
    errors: list[RowError] = []
    header: dict[str, str | None] = {}
    for role in ("path", "conversions", "value", "nulls", "ages"):
        wanted = getattr(cols, role)
        header[role] = found.get(normalise_header(wanted))
        if header[role] is None and role in cols.required:
            errors.append(
                RowError(
                    1,
                    wanted,
                    None,
                    f"the file has no '{wanted}' column (columns: {', '.join(raw.columns)})",
                    f"rename the column or name it with --{_OPTION[role]}",
                )
            )
    if errors:
        raise InputError(raw.source, errors)
    lines = np.asarray(raw.lines.to_numpy(zero_copy_only=False), dtype=np.int64)
    numbers = {
        role: _counts(raw, name, lines, errors) if name else np.zeros(raw.num_rows)
        for role in ("conversions", "value", "nulls")
        for name in [header[role]]
    }
    path_name = header["path"]
    assert path_name is not None  # required above
    parsed = _paths(raw, path_name, sep, lines, errors)
    ages = _ages(raw, header["ages"], sep, parsed[1], lines, errors) if header["ages"] else None
    for row in np.flatnonzero((numbers["value"] > 0) & (numbers["conversions"] == 0)):
        errors.append(
            RowError(
                int(lines[row]),
                header["value"],
                str(numbers["value"][row]),
                "conversion value on a path with no conversions",
                "check the row: value belongs to converting journeys",
            )
        )
    if errors:
        raise InputError(raw.source, errors)
    channels, offsets, touches, stages = parsed
    return PathCounts(
        channels=channels,
        offsets=offsets,
        touches=touches,
        conversions=numbers["conversions"],
        value=numbers["value"],
        nulls=numbers["nulls"],
        stages=stages,
        ages=ages,
    ).distinct()


_OPTION = {
    "path": "path-col",
    "conversions": "conv-col",
    "value": "value-col",
    "nulls": "null-col",
    "ages": "ages-col",
}


def _counts(raw: RawTable, name: str, lines: np.ndarray, errors: list[RowError]) -> np.ndarray:
    """(n_rows,) non-negative numbers of column ``name``; a blank cell is an error."""
    values = raw.data.column(name).combine_chunks()
    text = split_number_text(values)
    evidence = mark_evidence(text.body)
    mark: Mark = "," if evidence.comma.any() and not evidence.point.any() else "."
    numbers, misfit = parse_digits(text, mark)
    bad = ~text.present | text.malformed | text.percent | misfit | np.isnan(numbers)
    shown = values.to_pylist()
    for row in np.flatnonzero(bad):
        errors.append(
            RowError(
                int(lines[row]),
                name,
                shown[row],
                "not a number" if text.present[row] else "the count is blank",
                "write a number such as 12 or 3.5 (0 when there is none)",
            )
        )
    for row in np.flatnonzero(~bad & (numbers < 0)):
        errors.append(
            RowError(
                int(lines[row]), name, shown[row], "a count cannot be negative", "write 0 or more"
            )
        )
    return np.where(bad, 0.0, numbers)


def _paths(
    raw: RawTable, name: str, sep: str, lines: np.ndarray, errors: list[RowError]
) -> tuple[tuple[str, ...], np.ndarray, np.ndarray, np.ndarray]:
    """Channel names, CSR offsets (n_rows + 1,), channel ids and milestone flags per touch."""
    values = pc.fill_null(raw.data.column(name).combine_chunks(), "")
    blank = mask(pc.equal(pc.utf8_trim_whitespace(values), ""))
    split = pc.split_pattern(pc.if_else(pa.array(blank), pa.scalar(None, pa.string()), values), sep)
    lengths = np.asarray(pc.fill_null(pc.list_value_length(split), 0), dtype=np.int64)
    tokens = pc.utf8_trim_whitespace(pc.list_flatten(split))
    row = np.repeat(np.arange(raw.num_rows), lengths)
    # Only tokens with a bracket go through the tag pattern (a regex over every touch is
    # most of the reading time); the others are plain channel names.
    has_bracket = mask(pc.match_substring(tokens, "[")) | mask(pc.match_substring(tokens, "]"))
    bracketed = np.flatnonzero(has_bracket)
    parts = pc.extract_regex(tokens.take(pa.array(bracketed)), _TOKEN)
    names = pc.replace_with_mask(
        tokens,
        pa.array(has_bracket),
        pc.utf8_trim_whitespace(pc.fill_null(pc.struct_field(parts, "name"), "")),
    )
    tags = dict(
        zip(
            bracketed.tolist(),
            pc.fill_null(pc.struct_field(parts, "tags"), "").to_pylist(),
            strict=True,
        )
    )
    malformed = np.zeros(len(tokens), dtype=np.bool_)
    malformed[bracketed] = ~mask(pc.is_valid(parts))
    empty = mask(pc.equal(names, "")) & ~malformed
    shown = values.to_pylist()

    def report(where: np.ndarray, rule: str, fix: str) -> None:
        for r in np.unique(row[where]):
            errors.append(RowError(int(lines[r]), name, shown[r], rule, fix))

    report(malformed, "a touch has unbalanced or nested [ ]", "tag a touch as email[lead]")
    report(empty, "the path has an empty step", f"remove the doubled or trailing '{sep}'")
    others = [s for s in _OTHER_SEPARATORS if s != sep]
    suspicious = pc.match_substring_regex(names, "|".join(re.escape(s) for s in others))
    for other in others if pc.any(suspicious).as_py() else []:
        report(
            mask(pc.match_substring(names, other)),
            f"a channel name contains '{other}': the path separator looks wrong",
            f"pass --sep '{other}' (now '{sep}')",
        )
    stages = np.zeros(len(tokens), dtype=np.uint8)
    seen: dict[tuple[int, str], int] = {}
    for t in (i for i, text in tags.items() if text.strip()):
        for tag in (x.strip().lower() for x in tags[t].split(",")):
            if tag not in STAGE_TAGS:
                report(
                    np.array([t]), f"unknown milestone tag [{tag}]", "use [lead], [opp] or [won]"
                )
            elif (int(row[t]), tag) in seen:
                report(np.array([t]), f"two touches are tagged [{tag}]", "tag one touch per path")
            else:
                seen[int(row[t]), tag] = t
                stages[t] |= STAGE_TAGS[tag]
    for r in {r for r, _ in seen}:
        at = [seen.get((r, tag), -1) for tag in ("lead", "opp", "won")]
        placed = [a for a in at if a >= 0]
        if placed != sorted(placed):
            report(np.array([placed[0]]), "milestones out of order", "lead, then opp, then won")
    encoded = pc.dictionary_encode(names)
    dictionary = encoded.dictionary.to_pylist()
    order = sorted(range(len(dictionary)), key=dictionary.__getitem__)
    remap = np.empty(len(dictionary), dtype=np.int64)
    remap[order] = np.arange(len(dictionary))
    touches = (
        remap[np.asarray(encoded.indices, dtype=np.int64)]
        if len(dictionary)
        else np.zeros(0, np.int64)
    )
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    return tuple(dictionary[i] for i in order), offsets, touches, stages


def _ages(
    raw: RawTable,
    name: str | None,
    sep: str,
    offsets: np.ndarray,
    lines: np.ndarray,
    errors: list[RowError],
) -> np.ndarray:
    """(n_touches,) days before conversion, one number per touch of each path."""
    assert name is not None
    values = pc.fill_null(raw.data.column(name).combine_chunks(), "")
    split = pc.split_pattern(values, sep)
    counts = np.asarray(pc.list_value_length(split), dtype=np.int64)
    counts[mask(pc.equal(pc.utf8_trim_whitespace(values), ""))] = 0
    tokens = pc.list_flatten(split)
    good = mask(pc.match_substring_regex(tokens, _AGE))
    row = np.repeat(
        np.arange(raw.num_rows), np.asarray(pc.list_value_length(split), dtype=np.int64)
    )
    wrong = (counts != np.diff(offsets)) | (np.bincount(row, ~good, raw.num_rows) > 0)
    shown = values.to_pylist()
    for r in np.flatnonzero(wrong):
        errors.append(
            RowError(
                int(lines[r]),
                name,
                shown[r],
                "ages must be one number of days (>= 0) per touch of the path",
                f"write e.g. 12{sep}3{sep}0 for a three-touch path",
            )
        )
    if wrong.any():
        return np.zeros(int(offsets[-1]))
    return np.asarray(pc.cast(pc.utf8_trim_whitespace(tokens), pa.float64()), dtype=np.float64)
