"""Which engine runs a workspace's KPI queries: the workspace's DuckDB file (the default),
a Spark cluster, or a PostgreSQL database holding the canonical tables.

Set in ``pilotage.toml``::

    [engine]
    backend = "pyspark"          # "duckdb" (default) | "pyspark" | "postgres"
    master = "spark://host:7077" # pyspark: the Spark master; empty: local[*]
    url = ""                     # postgres: postgresql://user:password@host:5432/db
    database = "marketing"       # the Spark database / PostgreSQL schema of the tables

The other engines read tables with the canonical names and columns (``data/schema.py``);
:func:`copy_tables` puts a loaded workspace's tables there. Loading, the audit and the
other pages still use the DuckDB file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, get_args

from pilotage.errors import ConfigError

if TYPE_CHECKING:
    import pyarrow as pa
    from ibis.backends import BaseBackend
    from pyspark.sql import SparkSession

    from pilotage.core.kpis.periods import Dialect
    from pilotage.data.store import AnalyticsStore

EngineName = Literal["duckdb", "pyspark", "postgres"]
ENGINES: tuple[EngineName, ...] = get_args(EngineName)
_KEYS = {"backend", "master", "url", "database"}


@dataclass(frozen=True)
class EngineSettings:
    backend: EngineName = "duckdb"
    #: pyspark: the Spark master (``local[2]``, ``spark://host:7077``, ``yarn``).
    master: str = ""
    #: postgres: the connection URL.
    url: str = ""
    #: Spark database or PostgreSQL schema holding the tables; empty: the default one.
    database: str = ""

    def __post_init__(self) -> None:
        if self.backend not in ENGINES:
            raise ConfigError(
                f"[engine] backend {self.backend!r} is unknown",
                fix="use one of: " + ", ".join(ENGINES),
            )
        if self.backend == "postgres" and not self.url:
            raise ConfigError(
                "[engine] backend 'postgres' needs a url",
                fix='add url = "postgresql://user:password@host:5432/db"',
            )

    @property
    def dialect(self) -> Dialect:
        """The SQL dialect the KPI expressions are built for."""
        return self.backend


def engine_from_dict(raw: Any, origin: str) -> EngineSettings:
    """The ``[engine]`` table of ``pilotage.toml`` (absent: DuckDB)."""
    if raw is None:
        return EngineSettings()
    if not isinstance(raw, dict):
        raise ConfigError(
            f"{origin}: [engine] must be a table", fix='write [engine] backend = "..."'
        )
    unknown = set(raw) - _KEYS
    if unknown:
        raise ConfigError(
            f"{origin}: unknown setting(s) {sorted(unknown)} in [engine]",
            fix=f"use only {sorted(_KEYS)}",
        )
    try:
        return EngineSettings(
            backend=str(raw.get("backend", "duckdb")),  # type: ignore[arg-type]
            master=str(raw.get("master", "")),
            url=str(raw.get("url", "")),
            database=str(raw.get("database", "")),
        )
    except ConfigError as exc:
        raise ConfigError(f"{origin}: {exc.message}", fix=exc.fix) from exc


def spark_session(master: str = "", **conf: str) -> SparkSession:
    """The process's Spark session (created on first use). Its time zone is UTC: stored
    timestamps are UTC instants and local days are computed from them explicitly."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(master or "local[*]").appName("pilotage")
    for key, value in {"spark.sql.session.timeZone": "UTC", **conf}.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.conf.set("spark.sql.session.timeZone", "UTC")
    return session


def connect(engine: EngineSettings) -> BaseBackend:
    """An Ibis backend for a non-DuckDB engine (DuckDB is opened through the store)."""
    import ibis

    if engine.backend == "pyspark":
        return ibis.pyspark.connect(spark_session(engine.master))
    if engine.backend == "postgres":
        return ibis.connect(engine.url)
    raise ValueError("the DuckDB engine is the workspace's analytics store")


def copy_tables(store: AnalyticsStore, backend: BaseBackend, database: str = "") -> list[str]:
    """Copy every loaded canonical table of ``store`` to ``backend`` (replacing tables of
    the same name in ``database``); returns the names copied."""
    import ibis

    from pilotage.data.schema import TABLES

    source = ibis.duckdb.from_connection(store.con)
    copied = []
    for name in TABLES:
        if store.table_exists(name):
            data = source.to_pyarrow(source.table(name))
            if backend.name == "pyspark":
                _spark_table(name, data, database)
            else:
                backend.create_table(name, data, database=database or None, overwrite=True)
            copied.append(name)
    return copied


def _spark_table(name: str, data: pa.Table, database: str) -> None:
    """Spark straight from Arrow: through pandas, null strings would become 'NaN'."""
    from pyspark.sql import SparkSession

    session = SparkSession.getActiveSession()
    if session is None:
        raise RuntimeError("no active Spark session")
    target = f"`{database}`.`{name}`" if database else f"`{name}`"
    session.createDataFrame(data).write.mode("overwrite").saveAsTable(target)
