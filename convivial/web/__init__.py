"""The dashboard: `convivial serve`. Pages render the kept reports; see app.py for its safety."""

from convivial.web.app import create_app

__all__ = ["create_app"]
