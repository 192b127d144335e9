"""What the engine tests share: Spark's local engine, and PySpark's sockets."""

from __future__ import annotations

import pytest

from convivial.analysis import Engine

SPARK = Engine("spark", "local[2]")
"""Spark in local mode on the machine's two cores."""

SPARK_SOCKETS = pytest.mark.filterwarnings(
    # PySpark leaves the socket of each result it collects for the garbage collector to close
    "ignore:unclosed <socket.socket:ResourceWarning"
)
