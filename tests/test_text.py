"""The text classifiers: examples from the issue, word-list hygiene, and precision and recall on
the hand-labelled real messages (tests/labelled.py), which docs/classifiers.md reports."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from labelled import SETS, scores, table, texts

from convivial.text import sentiment
from convivial.text.deflection import is_deflection
from convivial.text.labels import VERSION, label
from convivial.text.requests import is_request, request_signals
from convivial.text.signatures import is_signed
from convivial.text.wordlists import phrase_pattern, phrases

DOCS = Path(__file__).resolve().parents[1] / "docs" / "classifiers.md"


@pytest.mark.parametrize(
    "text",
    [
        "@115712 Please send us a DM with your account number so we can look into this.",
        "@1 Send us a direct message and we'll take a look.",
        "@1 Please call us at 1-800-275-2273 and we'll sort it out.",
        "@1 Give us a ring on 0345 606 0345 and we'll help.",
        "@1 Email us at help@example.com with your order number.",
        "@1 Could you contact us at https://t.co/abc so we can help?",
        "@1 We've replied to your DM about this.",
        "@1 That doesn't look right. Please tell us more: https://t.co/abc -Becky",
        "@1 Please contact my colleagues via: https://t.co/abc They will help you!",
        "@1 Can you please leave your feedback and suggestions here - https://t.co/abc",
        "@1 Let's try: https://t.co/abc Call/chat if those don't fix it.",
        "@1 You should hear back either tomorrow or Monday. -Jen",
        "@1 Please share your location and your contact details for further assistance.",
        "@1 Por favor siguenos en Twitter para brindarte asistencia por mensajes directos.",
        "@1 We have been in touch and assisted.^UA",
        "@1 We're seeing that we've been in touch with you through your Gmail.",
        "@1 We'd be happy to look into this with you here: https://t.co/abc ^BL",
        "@1 Try contacting our iTunes Store team here for more help: https://t.co/abc",
        "@1 Do you mind reaching out to our team  https://t.co/abc? -Tara",
        "@1 Please pass your details to us here: https://t.co/abc ^RR",
        "@1 Please click here to send account type & country. TY! ^MC https://t.co/abc",
        "@1 Please use the link below to send us your name/ZIP/phone and I'll call.",
        "@1 Pls send us your full name/ZIP/phone#/account type so our team can help you.",
        "@1 If we can help further please feel free to reach out to us directl... https://t.co/abc",
        "@1 If you've shared your details, our team will check and get back to you soon.",
        "@1 Mind posting more details in our forums so our engineers can take a look?",
        "@1 A member of our team will be following up to assist as soon as possible.",
        "@1 Please keep an eye out for an email from the account specialists.",
        "@1 We'd need to get you into a private secured link to further assist.",
        "@1 Please delete your public posts with your private info - for your security.",
        "@1 Te recomendamos no compartir informaciones personales por este medio. (1/2)",
        "@1 Por favor entre em contato com o nosso SAC no seguinte link: https://t.co/abc",
        "@1 Can you confirm your address please via PM - Josh",
        "@1 I apologize. We're now following you. ^RR",
        "@1 If so, we would be glad to troubleshoot. Feel free to return to our chat.",
        "@1 You may call Reservations at one of the locations listed here: https://t.co/abc",
        "@1 Our Twitter support is in English; get help at https://t.co/abc",
        "@1 Please have them report it here: https://t.co/abc ^SJ",
        "@1 We always welcome suggestions to improve here: https://t.co/abc -Becky",
        "@1 Happy to provide a fare review for you. Visit https://t.co/abc for further assistance.",
        "@1 Por favor contesta el correo siguiendo las instrucciones indicadas ^VL",
        "@1 Bei Fragen zu einer Lieferung, melde dich bitte über https://t.co/abc",
        "@1 If you need assistance, reach out to us via DM.",
        "@1 Good idea! Could you record it for our design team: https://t.co/abc ^JI",
        "@1 Please follow the link so that we can look at your account. *Jo",
        "@1 Please reach back out to us so we can take a look. https://t.co/abc ^RO",
        "@1 Meanwhile, please approach the billing team for further assistance. ^NK",
        "@1 I'm following up on the email we sent yesterday. ^az",
        "@1 Thanks for speaking with us this morning. We appreciate your patience. ^mg",
        "@1 Please share your feedback through the Feedback Hub app. ^IS",
        "@1 with your full name, address, and account number so I can look into this. -KW",
        "@1 I require your full name, address and email. I can log your feedback. 2/2",
        "@1 Could you confirm your registered email address? ^DO",
        "@1 You can report it as lost on our partner website https://t.co/abc -Andy",
        "@1 Please follow this link for your request. Thank you. https://t.co/abc *TMT",
        "@1 Please fill this form: https://t.co/abc and we'll get back to you.",
        "@1 We'd like to help. https://twitter.com/messages/compose?recipient_id=15",
        "@1 Let us know: https://example.com/help/contact-us",
    ],
)
def test_deflections(text: str) -> None:
    assert is_deflection(text)


@pytest.mark.parametrize(
    "text",
    [
        "@1 Try restarting the app from Settings > General. Let us know how it goes!",
        "@1 You can read more here: https://t.co/abc",
        "@1 Your flight leaves at 5 pm from gate 12.",
        "@1 Order 4410223 shipped yesterday.",
        "@1 Thanks for the kind words, we'll pass them on to the crew.",
        "@1 Thanks for contacting us. Please follow the steps here: https://t.co/abc",
        "@1 Have a scan with Windows Defender. Give it a try: https://t.co/abc",
        "@1 Glad it's sorted! Feel free to reach out to us if you have any questions.",
        "@1 Thanks. I'll get in touch with our team. -Jen",
        "@1 This email is fraudulent. I recommend forwarding this email to __email__ for review.",
        "@1 You need an active Game Pass subscription during the promo period: https://t.co/abc",
        "@1 Let's look at these steps to locate your package: https://t.co/abc ^AL",
        "@1 If you come across a buyer abusing our policies, you can report them: https://t.co/abc",
        "@1 Have you been in touch with us recently regarding this? What were you offered?",
        "@1 The dev team constantly monitors the feedback forums for ways to improve. ^NA",
        "@1 Please feel free to reach back out to us if you have any other questions. -Mary",
        "@1 If you need assistance, reach out to us. -Mike",
        "@1 If there is anything we can assist you with, please reach out to us. We are here 24/7.",
        "@1 We are very sorry for the delay. It's very upsetting to call us that. ^Oliver",
        "@1 Check out https://t.co/abc for more information on earning free rides.",
        "@1 Your new card can be sent by email or by post: which would you prefer?",
        "@1 Were you able to contact the courier about this? ^SB",
        "@1 DM is not secure, so please don't share any card numbers here.",
        "@1 Please know one email address can be associated with multiple accounts. ^JB",
        "@1 Follow those steps to switch the email address on that account too. ^ZM",
        "@1 Paying by card works too: https://example.com/contactless",
        "Has your professor reached out to you yet?",
        "I used to write a forum post once a week and get an A.",
        "The career fair went well and I got a callback from two companies.",
    ],
)
def test_public_answers_do_not_deflect(text: str) -> None:
    assert not is_deflection(text)


@pytest.mark.parametrize(
    "text",
    [
        "@1 So sorry for the delay. We'll have you on your way soon. *AFM",
        "@1 I've checked and it's on its way ^JS",
        "@1 That sounds great! -Anna",
        "@1 Have a great trip ~ Tom",
        "@1 Let us know how you get on. - Kelly 2/2",
        "@1 We'll follow up shortly /CC https://t.co/abc",
        "@1 The buses leave from the northern interchange. Phil.",
        "@1 Sorry for the trouble.\nRegards,\nDarshan.",
        "@1 Please bear with us for some time. Rgds, Amit",
        "@1 Stay tuned for next week! *SavannaGallagher",
        "@1 We hope to have it fixed soon. = JJ",
        "@1 Our page is visible to the public. 2/2^SC",
        "@1 We'd like to look into this here: https://t.co/AbCdEfGh^CN",
        "@1 Can you send a photo of the barcode? Thanks, Gabby",
        "@1 Can you DM me your account name? Ty Andrew",
        "@1 ご不便をおかけしております。お試しください。ET",
        "@1 こちらからご連絡ください。https://t.co/abc TY",
    ],
)
def test_signatures(text: str) -> None:
    assert is_signed(text)


@pytest.mark.parametrize(
    "text",
    [
        "@1 We're on it. Thanks!",
        "@1 Enjoy your flight. Cheers",
        "@1 Please connect to Wi-Fi",
        "@1 Tap here: https://t.co/AbCdEfGh",
        "@1 Happy Birthday to you!!",
        "@1 Hi Sarah, can you DM us your order number?",
        "@1 We loved your post. Thanks, Steve!",
        "@1 We understand your concern about the charge. We 1/3",
        "@1 😱😱 Where?!",
    ],
)
def test_unsigned(text: str) -> None:
    assert not is_signed(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@AppleSupport why does my battery die by noon", True),
        ("@Delta my bag never arrived at LAX", True),
        ("@Tesco absolutely disgusted with the state of the store today", True),
        ("@Uber_Support any update on my refund", True),
        ("@ChipotleTweets it was absolutely delicious, thank you!", False),
        ("@AppleSupport done, thanks for the help", False),
        ("@SouthwestAir can't wait for my trip next week", False),
    ],
)
def test_requests(text: str, expected: bool) -> None:
    assert is_request(text) is expected


def test_a_question_mark_inside_a_link_is_not_a_question() -> None:
    signals = request_signals(pa.array(["Loved it https://example.com/p?id=3", None]))
    assert not signals.question.any() and not signals.request.any()


def test_sentiment_is_scored_only_where_no_rule_decided() -> None:
    negative = "This made me sad and miserable."
    assert sentiment.compound(negative) <= sentiment.THRESHOLD
    got = request_signals(pa.array([negative, "Why is this so awful?"]))
    assert got.negative.tolist() == [True, False]  # the second is a question: not scored
    assert got.request.tolist() == [True, True]


def test_label_table_has_one_row_per_text() -> None:
    out = label(pa.array(["@1 DM us please ^JS", None, "why?", "Shop now: 20% off"]))
    assert out.column_names == [
        "question",
        "request",
        "deflection",
        "signed",
        "ask",
        "chatter",
        "addressed",
    ]
    rows = [tuple(r.values()) for r in out.to_pylist()]
    assert rows == [
        (False, True, True, True, False, False, True),
        (False, False, False, False, False, True, False),  # no text: chatter only
        (True, True, False, False, False, True, False),  # under three words: chatter
        (False, False, False, False, True, False, False),
    ]
    assert re.fullmatch(r"\d+-[0-9a-f]{12}-vader[\d.]+", VERSION)


@pytest.mark.parametrize(
    "name",
    [
        "question_phrases",
        "problem_phrases",
        "not_problem_phrases",
        "deflection_phrases",
        "not_deflection_phrases",
        "signature_closings",
    ],
)
def test_word_lists_hold_each_phrase_once(name: str) -> None:
    listed = phrases(name)
    assert listed and len(set(listed)) == len(listed), name


def test_each_exception_hides_a_problem_phrase() -> None:
    problem = pa.array(list(phrases("not_problem_phrases")))
    found = pc.match_substring_regex(problem, phrase_pattern(phrases("problem_phrases")))
    assert all(found.to_pylist()), "an exception that contains no problem phrase does nothing"


def test_each_exception_hides_a_deflection_phrase() -> None:
    excepted = list(phrases("not_deflection_phrases"))
    found = pc.match_substring_regex(
        pa.array(excepted), phrase_pattern(phrases("deflection_phrases"))
    )
    assert all(found.to_pylist()), "an exception that contains no deflection phrase does nothing"
    assert not any(is_deflection(f"@1 {p}.") for p in excepted)


@pytest.mark.parametrize("labelled_set", SETS)
def test_labelled_sets_name_real_messages(labelled_set: str) -> None:
    path = Path(__file__).parent / "data" / "labels" / f"{labelled_set}.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    known = texts()
    assert len(rows) >= 200
    for r in rows:
        text = " ".join(known[(r["source"], r["message_id"])].split())
        assert text.startswith(" ".join(r["excerpt"].split())[:40]), r["message_id"]


def test_every_labelled_message_is_in_one_set_only() -> None:
    seen: set[tuple[str, str]] = set()
    for labelled_set in SETS:
        path = Path(__file__).parent / "data" / "labels" / f"{labelled_set}.csv"
        with path.open(newline="", encoding="utf-8") as f:
            ids = {(r["source"], r["message_id"]) for r in csv.DictReader(f)}
        assert not ids & seen
        seen |= ids


FLOORS = {
    ("service_test", "request"): (0.85, 0.85),  # the target
    ("service_fifth", "signed"): (0.95, 0.95),  # the target
    ("service_sixth", "deflection"): (0.98, 0.98),
    ("service_sixth", "signed"): (1.00, 1.00),
    ("service_seventh", "deflection"): (0.98, 0.95),
    ("service_seventh", "signed"): (1.00, 1.00),
    ("service_eighth", "deflection"): (1.00, 0.98),
    ("service_eighth", "signed"): (1.00, 0.99),
    ("service_ninth", "deflection"): (1.00, 0.97),
    ("service_ninth", "signed"): (1.00, 0.98),
    ("service_tenth", "deflection"): (0.97, 0.92),  # recall below the 0.95 target
    ("service_tenth", "signed"): (1.00, 0.99),
}
"""(precision, recall) each classifier keeps on the sets that measure it: the target on the older
sets, never read for these classifiers; the measured figures rounded down on the sixth to the tenth,
so that any drop fails. The sixth's and seventh's deflections were read for the sixth round of the
deflection rules, the eighth's deflections and signatures (with the older sets' misses) for the
seventh round, and the ninth's deflections (with the older sets' misses) for the eighth: the floors
keep what they gained there. The tenth was labelled after that round and never read."""


def test_classifiers_keep_their_scores_on_the_sets_that_measure_them() -> None:
    for (labelled_set, kind), (precision, recall) in FLOORS.items():
        [s] = [s for s in scores(labelled_set) if s.label == kind and s.source == "all"]
        assert s.precision >= precision and s.recall >= recall, s


def test_the_docs_show_the_scores_the_classifiers_get() -> None:
    assert table() in DOCS.read_text(encoding="utf-8")
