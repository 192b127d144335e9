"""Deflection (METRICS.md, "Service"): a host reply that moves the conversation off the public
channel: to direct or private messages, a call, email, a form or a chat (the phrases of
`data/deflection_phrases.txt`, once the phrases of `data/not_deflection_phrases.txt` such as
"thanks for contacting us", and invitations to come back if ever needed that name no channel,
are taken out), a phone number written out ("1-800-275-2273", "0345 606 0345") or asked for
("phone #"), a link offered for the customer to write, talk or get help through ("send us your
details here: https://...", "please tell us more: https://...", "contact my colleagues via:
https://...", "leave your feedback here - https://...", "https://... for further assistance"), a
link or a click to send something through ("use the link below to send us your name", "click here
to send account type"), a form to fill, a link whose address opens a private conversation or a
contact page, personal details no one posts in public ("your full name, address, and account
number"), a "Message" button to click, or an ask to contact the team directly.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from convivial.text.cleaning import as_text, words_only
from convivial.text.wordlists import matches, phrase_pattern, phrases

__all__ = ["LISTS", "deflections", "is_deflection"]

LISTS = ("deflection_phrases", "not_deflection_phrases")

# North American (1-800-555-0199, (800) 555 0199, 1-800-MY-APPLE) and UK/European numbers
# (0345 606 0345, +44 20 7946 0958): digits in groups, 9 to 13 of them.
_PHONE = (
    r"(?:^|[^0-9A-Za-z/])(?:"
    r"(?:\+?1[\s.-]?)?\(?[2-9]\d{2}\)?[\s.-]?\d{3}[\s.-]?\d{4}"
    r"|1[\s.-]?8\d{2}[\s.-]?[A-Z0-9]{3}[\s.-]?[A-Z0-9]{4}"
    r"|\+?\d{2,3}[\s.-]?\(?0?\)?\d{2,4}[\s.-]?\d{3,4}[\s.-]?\d{3,4}"
    r"|0\d{2,4}[\s.-]?\d{3}[\s.-]?\d{3,4}"
    r")(?:$|[^0-9A-Za-z/])"
)


# Asked to write, talk or get help through a link, in the same sentence: "tell us more: https://",
# "reach out at https://", "contact my colleagues via: https://", "speak to our experts here:
# https://", "try reaching out to our team https://", "pass your details to us here: https://",
# "call Reservations at one of the locations listed here: https://", "get help at https://",
# "report it here: https://", "report it as lost on our partner website https://", "your feedback
# here - https://", "we welcome suggestions here: https://", "we'd like to look into this with you
# here: https://"; or a link followed by "for further assistance". "Give", "get support" and
# "call" only with "here" ("give it a try: https://" is an answer, "notes on the call: https://" a
# link to read), and feedback, suggestions and a look into it only with "here" or a colon.
_VIA_LINK = (
    r"(?i)\b(?:send|provide|share|tell|submit|connect|connecting|contact|contacting|reach|reached"
    r"|reaching|touch|write|speak|speaking|talk|talking|include|escalate|record"
    r"|log (?:this|that|it|your|the|full|a|an)"
    r"|get (?:help|assistance)|pass (?:your|us)|report (?:this|it)|let (?:our|the) team know)\b"
    r"[^.!?\n]{0,80}"
    r"(?:\bhere\b\s*[:-]?|\bvia\b\s*:?|\bat\b|\b(?:the|this) link\b\s*:?|\bteam\b"
    r"|\b(?:website|site|page|portal|form)\b\s*[:-]?|:)\s*https?://"
    r"|\b(?:give|get support|call)\b[^.!?\n]{0,60}\bhere\b\s*:?\s*https?://"
    r"|\b(?:feedback|suggestions|look into|closer look|further look|better look)\b[^.!?\n]{0,40}"
    r"(?:\bhere\b\s*[:-]?|:)\s*https?://"
    r"|https?://\S+\s+(?:for|to get) (?:further|more|additional) (?:assistance|help|support)\b"
)
# A link or a click to send, provide or write something through, wherever the link itself is
# ("please use the link below to send us your name", "click here to send account type"), or a
# link for the customer's request ("please follow this link for your request").
_TO_SEND = (
    r"(?i)\b(?:link|click|tap)\b[^.!?\n]{0,25}\bto\W+(?:send|provide|share|submit|tell|contact"
    r"|reach|message|dm|chat|talk|speak|write|connect|get in touch)\b"
    r"|\blink\b[^.!?\n]{0,20}\bfor (?:your|the|a) "
    r"(?:request|complaint|claim|query|enquiry|inquiry)\b"
)
# A form to fill in ("please fill this form: https://", "submit this form").
_FORM = (
    r"(?i)\b(?:fill|complete|submit)(?:ing)?\b(?:\s+(?:up|out|in))?\s+(?:this|the|our|a|an)\s+"
    r"(?:[\w-]+\s+){0,2}forms?\b"
)
# A link whose address itself opens a private conversation or a contact page
# (`https://twitter.com/messages/compose?recipient_id=...`, `https://m.me/...`, `.../contact-us`):
# where a source keeps links whole, a bare link says what no word does.
_PRIVATE_LINK = (
    r"(?i)(?:\b(?:twitter|x)\.com/messages/compose|\bm\.me/|\bwa\.me/|\bapi\.whatsapp\.com/send"
    r"|https?://[^\s/]+/(?:[^\s?#]*/)?contact(?:[-_]?us)?\b)"
)
# A link to use so that the team can act ("please follow this link so we can jump into your
# account"), and an ask to come back so that it can ("reach back out to us so we may look into
# this"), which an invitation to come back if ever needed does not make.
_SO_WE_CAN = (
    r"(?i)\b(?:link\b[^.!?\n]{0,30}|reach back out to us\b[^.!?\n]{0,12})"
    r"\bso (?:that )?(?:we|I) (?:can|may)\b"
)
# A team to turn to for further help ("please approach the support team for further assistance").
_TEAM_FOR_HELP = (
    r"(?i)\bteams?\b[^.!?\n]{0,20}\bfor (?:further|more|additional) (?:assistance|help|support)\b"
)
_MESSAGE_BUTTON = r"(?i)\bclick\W+(?:on\W+)?(?:the\W+)?['\x{2018}\x{2019}\"]?message\b"
# Contacting the team directly: an invitation to come back, which names no channel and is taken
# out, does name one when it adds "directly" ("feel free to reach out to us directly").
_DIRECTLY = r"(?i)\b(?:reach out to|reach|contact|message|email|call) us\s+direct"
# A phone number asked for as "phone #" (a word list cannot hold "#", which starts a comment).
_PHONE_ASKED = r"(?i)\bphone ?#"
# Personal details asked for that no one posts in public, so that they go through a private
# channel: the customer's email address ("your account's email address"), or a list of details
# with a home address, email address or phone number in it ("your full name, address, and
# account number", "email address and your telephone number", "full address/More card number").
_PRIVATE = (
    r"(?:(?:your|full|home|postal|mailing|delivery|shipping|billing) address"
    r"|e-?mail address|(?:phone|telephone|mobile|contact) (?:number|#|no\b))"
)
_DETAIL = (
    r"(?:(?:full )?name|address|e-?mail(?: address)?|post ?code|zip(?: code)?|date of birth|dob"
    r"|barcode|(?:[a-z]+ ){0,2}(?:number|#))"
)
_AND = r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&amp;\s*|&\s*|/\s*|\+\s*)(?:your\s+)?"
_DETAILS = (
    rf"(?i)\byour\s+(?:[\w'\x{{2019}}]+\s+){{0,2}}e-?mail address"
    rf"|\b{_PRIVATE}{_AND}{_DETAIL}\b"
    rf"|\b{_DETAIL}{_AND}(?:{_PRIVATE}|address)\b"
)
_RAW = (
    _VIA_LINK,
    _TO_SEND,
    _SO_WE_CAN,
    _TEAM_FOR_HELP,
    _MESSAGE_BUTTON,
    _DIRECTLY,
    _PHONE_ASKED,
    _DETAILS,
    _FORM,
    _PRIVATE_LINK,
)


# Taken out with the exceptions: an invitation to come back if ever needed, ending its sentence
# with no channel named ("If you need assistance, reach out to us.", "If there is anything we can
# assist you with, please reach out to us.").
_INVITATION = (
    r"(?i:\b(?:if|should|when)\b[^.!?\n]{0,80}"
    r"\b(?:reach out to us|contact us|get in touch|reach us)\s*(?:[.!]|$))"
)


@cache
def _patterns() -> tuple[str, str]:
    return (
        f"{phrase_pattern(phrases('deflection_phrases'))}|{_PHONE}",
        f"{phrase_pattern(phrases('not_deflection_phrases'))}|{_INVITATION}",
    )


def deflections(texts: pa.Array) -> np.ndarray:
    """Whether each text deflects (null text: no)."""
    deflecting, not_deflecting = _patterns()
    words = pc.replace_substring_regex(words_only(texts), not_deflecting, " ")
    found = matches(words, deflecting)
    raw = as_text(texts)
    for pattern in _RAW:
        found |= matches(raw, pattern)
    return found


def is_deflection(text: str) -> bool:
    """Whether one text deflects."""
    return bool(deflections(pa.array([text]))[0])
