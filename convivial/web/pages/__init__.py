"""One module per dashboard page; each renders a View of the kept reports."""

from starlette.routing import Route

from convivial.web.pages import audience, behaviour, community, data, inbox, members, overview

__all__ = ["ROUTES"]

ROUTES = [
    Route("/", overview.show),
    Route("/community", community.show),
    Route("/community/picture", community.picture),
    Route("/members", members.show),
    Route("/inbox", inbox.show),
    Route("/inbox/handled", inbox.mark, methods=["POST"]),
    Route("/behaviour", behaviour.show),
    Route("/audience", audience.show),
    Route("/data", data.show),
]
