"""Every classifier over a batch of texts: the columns of the store's `message_labels`.

- `question`: holds a question (`requests`);
- `request`: a question, a problem or a negative message (`requests`);
- `deflection`: moves the conversation off the public channel (`deflection`);
- `signed`: signed by a person (`signatures`);
- `ask`: promotes the business or calls the audience to act for it (`asks`);
- `chatter`, `addressed`: a post of small talk or personal status, a text written to an @handle
  (`giving`).

`VERSION` changes whenever a word list or the sentiment lexicon does, so stored labels are
rebuilt by the classifiers that the metrics will be read with.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import version

import pyarrow as pa
import pyarrow.compute as pc

from convivial.text import asks, deflection, giving, requests, signatures
from convivial.text.wordlists import digest

__all__ = ["CLASSIFIERS", "LABELS", "VERSION", "Classifiers", "label"]

LABELS = ("question", "request", "deflection", "signed", "ask", "chatter", "addressed")
_RULES = 10  # raise when a rule in code (not a word list) changes
_LISTS = requests.LISTS + deflection.LISTS + signatures.LISTS + asks.LISTS + giving.LISTS
VERSION = f"{_RULES}-{digest(_LISTS)}-vader{version('vaderSentiment')}"


def label(texts: pa.Array) -> pa.Table:
    """One row of labels per text, in order. Each distinct text is classified once: templated
    replies, shares and copied posts repeat, and a label depends on the text alone."""
    encoded = pc.dictionary_encode(pc.fill_null(texts.cast(pa.string()), ""))
    distinct = encoded.dictionary
    signals = requests.request_signals(distinct)
    given = giving.giving_signals(distinct)
    columns = {
        "question": signals.question,
        "request": signals.request,
        "deflection": deflection.deflections(distinct),
        "signed": signatures.signed(distinct),
        "ask": asks.asks(distinct),
        "chatter": given.chatter,
        "addressed": given.addressed,
    }
    return pa.table({k: pa.array(v).take(encoded.indices) for k, v in columns.items()})


@dataclass(frozen=True)
class Classifiers:
    """`label` with its version, as the store's `Labeller` takes them."""

    version: str = VERSION

    def __call__(self, texts: pa.Array) -> pa.Table:
        return label(texts)


CLASSIFIERS = Classifiers()
