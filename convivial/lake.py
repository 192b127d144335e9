"""A Parquet lake (`convivial export --parquet`) read on Apache Spark through Ibis's PySpark
backend.

Each table of the lake becomes a Spark view of the same name, so the metrics' Ibis expressions run
on Spark unchanged: the same definitions, not a second implementation. Nothing falls back to
DuckDB: an expression Spark cannot run raises.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import ibis

__all__ = ["LAKE_TABLES", "LOCAL", "Lake", "LakeError", "spark_session"]

LAKE_TABLES = (
    "messages",
    "interactions",
    "follows",
    "accounts",
    "teams",
    "host_accounts",
    "message_labels",
    "message_team",
    "post_insights",
)
"""The tables the metrics read; `export --parquet` writes them and more."""

LOCAL = "local[*]"
"""Spark's local mode on every core of this machine: the default master."""

_PARTITION_ONLY = "month"
"""The partition column an export adds; the tables themselves have no such column."""


_LOGGING = (Path(__file__).parent / "spark-log4j2.properties").as_uri()


class LakeError(Exception):
    """The lake cannot be read, or Spark cannot start. The message is one line."""


class Lake:
    """The tables of the lake at `location` (a folder, or a URL the cluster reads, such as
    hdfs:// or s3a://) on the Spark session of `master`."""

    def __init__(self, location: str, master: str = LOCAL) -> None:
        local = "://" not in location
        if local:
            missing = [t for t in LAKE_TABLES if not (Path(location) / t).is_dir()]
            if missing:
                raise LakeError(
                    f"{location} is not a convivial lake: {missing[0]}/ is missing"
                    " (write one with `convivial export --parquet DIR`)"
                )
        self._session = spark_session(master)
        self._con = ibis.pyspark.connect(self._session)
        for table in LAKE_TABLES:
            path = str(Path(location).resolve() / table) if local else f"{location}/{table}"
            frame = self._session.read.parquet(path)
            if _PARTITION_ONLY in frame.columns:
                frame = frame.drop(_PARTITION_ONLY)
            frame.createOrReplaceTempView(table)

    def ibis(self) -> Any:
        """The Ibis PySpark backend over the lake's views."""
        return self._con

    def team_names(self) -> list[str]:
        """The teams' names, in order."""
        return sorted(str(t) for t in self._con.table("teams").team.to_pyarrow().to_pylist())

    def kept_message_teams(self) -> Any:
        """The lake's (message_key, team) table: an export computes it first, so it is current."""
        return self._con.table("message_team")

    def kept_scope(self) -> None:
        """A lake keeps no scope tables: Spark computes every team's scope from `message_team`."""
        return None


def spark_session(master: str = LOCAL) -> Any:
    """This process's Spark session on `master`, started when there is none: times in UTC, no web
    UI or console progress bars; results passed to Python as Arrow (never row by row: a type
    Arrow cannot carry is an error, not a slow fallback); on local mode bound to 127.0.0.1,
    logging only errors, with few shuffle partitions (the data of one machine is small for
    Spark's default of 200) and the driver's memory from $CONVIVIAL_SPARK_MEMORY (default 4g),
    which also bounds the results it collects (Spark's own bound, 1 GiB, is less than the
    followers of 3 x 10^7 events)."""
    from pyspark.errors import PySparkException
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master(master)
        .appName("convivial")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.execution.arrow.pyspark.fallback.enabled", "false")
    )
    if master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        memory = os.environ.get("CONVIVIAL_SPARK_MEMORY", "4g")
        builder = (
            builder.config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.driver.memory", memory)
            .config("spark.driver.maxResultSize", memory)  # every follower reaches the driver
            .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={_LOGGING}")
        )
    try:
        session = builder.getOrCreate()
    except PySparkException as exc:
        raise LakeError(
            f"Spark could not start on {master} ({exc.getErrorClass()}): it needs Java 17 or"
            " later (JAVA_HOME) and, for a cluster, a master URL it can reach"
        ) from exc
    session.sparkContext.setLogLevel("ERROR")
    return session
