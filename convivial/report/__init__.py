"""Presenters of the Report: terminal, JSON and HTML. They render; they never compute."""

from convivial.report.model import TeamReport

__all__ = ["TeamReport"]
