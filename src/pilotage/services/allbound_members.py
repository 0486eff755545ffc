"""The accounts a target list may hold: ids typed, read from a CSV file or taken from the
``is_target``/``tier`` columns, each checked against the workspace's ``accounts`` table.

Every problem is reported at once (with the file's line when there is a file) and nothing
is saved while one remains: a list never names an account the workspace does not have.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import ibis
import pyarrow as pa

from pilotage.data.readers.csv_text import parse_csv
from pilotage.data.readers.encoding import decode_text
from pilotage.data.schema import normalise_header
from pilotage.data.store import AnalyticsStore
from pilotage.errors import InputError, RowError, UsageError, plain_text
from pilotage.services.tables import StoredTables

#: Longest account id stored (the metadata column's length).
MAX_ID = 200
#: Most ids one request may add (a larger list is an import to split).
MAX_IDS = 50_000
#: Ids named in a refusal's one-line message (all of them are in its rows).
_NAMED = 10
_SPLIT = re.compile(r"[,;\s]+")


@dataclass(frozen=True)
class MemberInput:
    """Account ids as given: ``source`` (a file name or the field they came in) and, per id,
    its line in the file (None when typed)."""

    source: str
    items: tuple[tuple[int | None, str], ...]


def typed_ids(values: Sequence[str], source: str = "account_ids") -> MemberInput:
    """Ids typed in a field: each value may hold several, separated by commas, semicolons,
    spaces or new lines."""
    items = [(None, part) for value in values for part in _SPLIT.split(value) if part]
    return MemberInput(source, tuple(items))


def csv_ids(data: bytes, source: str) -> MemberInput:
    """The ``account_id`` column of a CSV file (any of , ; tab | as separator; other columns
    are ignored), with each id's line."""
    raw = parse_csv(decode_text(data, source), source)
    columns = [normalise_header(c) for c in raw.columns]
    if "account_id" not in columns:
        raise InputError(
            source,
            [
                RowError(
                    1,
                    None,
                    None,
                    f"no account_id column (columns: {', '.join(raw.columns) or 'none'})",
                    "name the column of account ids account_id in the header line",
                )
            ],
            message=f"{source}: no account_id column; nothing was saved",
        )
    values = raw.data.column(columns.index("account_id")).to_pylist()
    lines = pa.array(raw.lines).to_pylist()
    items = [
        (int(line), "" if v is None else str(v)) for line, v in zip(lines, values, strict=True)
    ]
    return MemberInput(source, tuple(items))


def checked_ids(store: AnalyticsStore, given: MemberInput) -> tuple[str, ...]:
    """The distinct ids of ``given`` in order, once every one is a plain, known account id;
    else an InputError naming each bad or unknown id (and its line)."""
    if len(given.items) > MAX_IDS:
        raise UsageError(
            f"{given.source}: {len(given.items)} account ids at once is too many",
            fix=f"add at most {MAX_IDS} ids per request",
        )
    errors: list[RowError] = []
    kept: dict[str, int | None] = {}
    for line, raw in given.items:
        value = raw.strip()
        problem = _problem(value)
        if problem:
            errors.append(RowError(line, "account_id", raw, problem[0], problem[1]))
        else:
            kept.setdefault(value, line)
    if errors:
        raise InputError(
            given.source,
            errors,
            message=f"{given.source}: {len(errors)} account id(s) cannot be read; "
            "nothing was saved",
        )
    known = set(known_accounts(store, tuple(kept)))
    unknown = [v for v in kept if v not in known]
    if unknown:
        named = ", ".join(unknown[:_NAMED]) + (" …" if len(unknown) > _NAMED else "")
        raise InputError(
            given.source,
            [
                RowError(
                    kept[v],
                    "account_id",
                    v,
                    "not in the workspace's accounts table",
                    "load this account into the accounts table first, or correct its id",
                )
                for v in unknown
            ],
            message=f"{given.source}: {len(unknown)} account id(s) not in the workspace's "
            f"accounts table: {named}; nothing was saved",
        )
    return tuple(kept)


def _problem(value: str) -> tuple[str, str] | None:
    if not value:
        return "the account id is blank", "give an account id or remove the line"
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return "the account id contains a control character", "give the id as plain text"
    if len(value) > MAX_ID:
        return f"the account id is longer than {MAX_ID} characters", "give the account_id"
    return None


def known_accounts(store: AnalyticsStore, ids: tuple[str, ...]) -> list[str]:
    """Which of ``ids`` the ``accounts`` table holds."""
    if not ids:
        return []
    tables = StoredTables(store)
    accounts = tables["accounts"]
    wanted = ibis.memtable({"w_id": list(ids)}, schema={"w_id": "string"})
    found = accounts.semi_join(wanted, accounts.account_id == wanted.w_id)
    return [str(r["account_id"]) for r in tables.rows(found.select("account_id").distinct())]


def flagged_ids(store: AnalyticsStore, tiers: Sequence[str] = ()) -> MemberInput:
    """The accounts flagged ``is_target`` (of ``tiers`` when given), as the CRM loaded them."""
    tables = StoredTables(store)
    accounts = tables["accounts"]
    chosen = accounts.filter(accounts.is_target.fill_null(False))
    plain_text("tier", tuple(tiers), fix="give tiers as they are written in the accounts table")
    if tiers:
        chosen = chosen.filter(chosen.tier.isin(list(tiers)))
    rows = tables.rows(chosen.select("account_id").order_by("account_id"))
    if not rows:
        which = f" of tier {', '.join(tiers)}" if tiers else ""
        raise UsageError(
            f"no account{which} is flagged is_target in the accounts table",
            fix="load accounts with is_target (and tier) columns, or name the accounts",
        )
    return MemberInput("accounts.is_target", tuple((None, str(r["account_id"])) for r in rows))
