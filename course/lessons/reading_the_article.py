"""Reading the article closely: sentences, who is speaking, loaded words, and other reports of the same talks.

Notebook 01 calls these helpers; each one is a few lines of plain rules, so a student can read how it works.

    from course.lessons import reading_the_article as reading
    reading.show("I")                       # the text of section I, paragraph by paragraph
    reading.sentences("II.1")               # paragraph II.1 split into sentences
    reading.classify("He pointed out, ...") # "quotation", "reported" or "author"
    reading.sentence_table("II")            # every sentence of section II with its label and why
    reading.who_uses("backyard")            # where a word occurs, and who the article gives it to
    reading.lateral("q1")                   # which other reports carry the words of quotation q1

**The labelling rule** (``classify``), in order:

1. a sentence with words inside double quotation marks is labelled ``"quotation"``;
2. otherwise, a sentence with a reporting phrase ("according to", "pointed out", "emphasized", ...; see
   ``REPORTING_PHRASES``) is labelled ``"reported"``: it tells us what someone said, in the author's words;
3. anything else is labelled ``"author"``: the author's own description or analysis.

The rule only looks at the words on the page. It cannot tell who is speaking, so it makes mistakes that a careful
reader does not: quotation marks around a word nobody is said to have said ("backyard") still count as a
quotation, and "This statement ... emphasized" counts as reported speech although it is the author's comment.
Notebook 01 asks students to find such mistakes.

Tables (``Table``) show as HTML in JupyterLab and as plain lines elsewhere; their content is always in the same
order, so stored notebook outputs do not change from one run to the next. Only the standard library is used.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .. import article, data
from ..errors import CourseTypeError, CourseValueError, unknown_name
from ..exercises import exercise
from ..tables import Table

__all__ = [
    "LABELS",
    "LOADED_WORDS",
    "additions",
    "REPORTING_PHRASES",
    "Sentence",
    "Table",
    "classify",
    "label_counts",
    "lateral",
    "loaded_words",
    "provenance_overview",
    "quoted_speakers",
    "sentence_table",
    "sentences",
    "sentences_with",
    "show",
    "signal",
    "source",
    "visit_dates",
    "who_uses",
]

#: The three labels ``classify`` gives, with what each one means.
LABELS = {
    "quotation": "has words in quotation marks",
    "reported": "reports what someone said or did, in the author's words",
    "author": "the author's own description or analysis",
}

#: Phrases that show the author is reporting what someone said (rule 2 of ``classify``). Whole words only.
REPORTING_PHRASES = (
    "according to",
    "pointed out",
    "emphasized",
    "stressed",
    "declared",
    "said",
    "stated",
    "noted",
    "mentioned",
    "revealed",
    "praised",
    "thanked",
    "concluded",
    "told",
)

#: Words and phrases that carry a judgement or a feeling, not only a fact (used by ``loaded_words``).
LOADED_WORDS = (
    "brotherly",
    "sincere friend",
    "backyard",
    "irreplaceable",
    "indispensable",
    "sphere of influence",
    "isolation",
    "warm response",
)

_QUOTED = re.compile(r'"([^"]+)"')
_REPORTING = re.compile(r"\b(" + "|".join(re.escape(p) for p in REPORTING_PHRASES) + r")\b", re.IGNORECASE)
_SHORT = 60


def _shorten(text: str, limit: int = _SHORT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class _Text:
    """Paragraphs of the article, shown with their ids (HTML in JupyterLab, plain text elsewhere).

    ``blocks`` holds ``(paragraph id, text)`` pairs; a pair with the id ``""`` is a section heading.
    """

    def __init__(self, title: str, blocks: Sequence[tuple[str, str]]):
        self.title, self.blocks = title, list(blocks)

    def __repr__(self) -> str:
        parts = [self.title] + [f"[{pid}] {text}" if pid else text.upper() for pid, text in self.blocks]
        return "\n\n".join(parts)

    def _repr_html_(self) -> str:
        parts = [f"<p><strong>{html.escape(self.title)}</strong></p>"]
        for pid, text in self.blocks:
            if pid:
                parts.append(f"<p><strong>[{html.escape(pid)}]</strong> {html.escape(text)}</p>")
            else:
                parts.append(f"<h3>{html.escape(text)}</h3>")  # under the notebook's "##" sections
        return '<div class="course-article">' + "".join(parts) + "</div>"


def show(part: str | None = None) -> _Text:
    """The article's text with paragraph ids: the whole article, one section ("II") or one paragraph ("II.3")."""
    headings = dict(article.sections())
    key = part.strip() if isinstance(part, str) else part
    if key is None:
        blocks = []
        for sid, heading in article.sections():
            blocks.append(("", f"{sid}. {heading}"))
            blocks += [(p.id, p.text) for p in article.paragraphs(sid)]
        return _Text(article.metadata()["title"], blocks)
    if key in headings:
        return _Text(f"{key}. {headings[key]}", [(p.id, p.text) for p in article.paragraphs(key)])
    p = article.paragraph(part)
    return _Text(f"{p.section}. {headings[p.section]}", [(p.id, p.text)])


# --- sentences and the labelling rule -----------------------------------------------------------------------


def sentences(pid: str) -> list[str]:
    """Paragraph ``pid`` (e.g. "II.1") split into sentences.

    A sentence ends at ".", "?" or "!" (with a closing quotation mark, if there is one) followed by a space and
    a capital letter or an opening quotation mark. A full stop inside quotation marks does not end the sentence,
    so a quotation of two sentences stays inside the sentence that introduces it.
    """
    text = article.paragraph(pid).text
    result, start, inside = [], 0, False
    i = 0
    while i < len(text):
        char = text[i]
        if char == '"':
            inside = not inside
        elif char in ".?!":
            end = i + 1
            closes = end < len(text) and text[end] == '"' and inside
            if closes:
                end += 1
            rest = text[end:]
            still_inside = inside and not closes
            if not still_inside and re.match(r'\s+["A-Z]', rest):
                result.append(text[start:end].strip())
                start = end
                inside = False
                i = end
                continue
            if closes:
                inside = False
                i = end
                continue
        i += 1
    tail = text[start:].strip()
    if tail:
        result.append(tail)
    return result


def signal(sentence: str) -> str:
    """What made ``classify`` choose its label: the quoted words, the reporting phrase, or "" for "author"."""
    if not isinstance(sentence, str):
        raise CourseTypeError(f"a sentence must be text (a str), not {type(sentence).__name__}")
    quoted = _QUOTED.findall(sentence)
    if quoted:
        return "quotation marks: " + "; ".join(f'"{_shorten(q, 40)}"' for q in quoted)
    match = _REPORTING.search(sentence)
    return f"reporting phrase: {match.group(1)}" if match else ""


def classify(sentence: str) -> str:
    """Label one sentence "quotation", "reported" or "author" by the three rules in this module's docstring."""
    if not isinstance(sentence, str):
        raise CourseTypeError(f"a sentence must be text (a str), not {type(sentence).__name__}")
    if _QUOTED.search(sentence):
        return "quotation"
    if _REPORTING.search(sentence):
        return "reported"
    return "author"


@dataclass(frozen=True)
class Sentence:
    paragraph: str
    number: int
    text: str

    @property
    def label(self) -> str:
        return classify(self.text)

    @property
    def signal(self) -> str:
        return signal(self.text)


def _paragraph_ids(part: str | None) -> list[str]:
    if part is None:
        return [p.id for p in article.paragraphs()]
    key = part.strip() if isinstance(part, str) else part
    if key in dict(article.sections()):
        return [p.id for p in article.paragraphs(key)]
    return [article.paragraph(part).id]


def _all_sentences(part: str | None = None) -> list[Sentence]:
    return [Sentence(pid, n, s) for pid in _paragraph_ids(part) for n, s in enumerate(sentences(pid), start=1)]


def sentence_table(part: str | None = None, label: str | None = None) -> Table:
    """Every sentence of the article, a section ("II") or a paragraph ("II.3"), with its label and signal.

    ``label`` keeps only the sentences with that label ("quotation", "reported" or "author").
    """
    if label is not None and label not in LABELS:
        raise CourseValueError(f"label must be one of {', '.join(LABELS)}, not {label!r}")
    rows = tuple((s.paragraph, s.number, s.label, s.signal, s.text) for s in _all_sentences(part)
                 if label is None or s.label == label)
    where = "the whole article" if part is None else part
    caption = f"Sentences of {where}" + (f" labelled {label!r}" if label else "") + ", with the rule's label"
    return Table(caption, ("Paragraph", "Sentence", "Label", "Signal", "Text"), rows)


def label_counts() -> Table:
    """How many sentences of each section the rule labels "quotation", "reported" and "author"."""
    rows = []
    for sid, heading in article.sections():
        counts = Counter(s.label for s in _all_sentences(sid))
        rows.append((sid, _shorten(heading, 45), *(counts.get(k, 0) for k in LABELS), sum(counts.values())))
    return Table("Sentences per section, by the rule's label", ("Section", "Heading", *LABELS, "total"),
                 tuple(rows))


def sentences_with(term: str) -> Table:
    """The sentences that contain ``term`` (ignoring case), with their label."""
    if not isinstance(term, str) or not term.strip():
        raise CourseValueError("give a word or phrase to look for, e.g. sentences_with('will')")
    pattern = re.compile(r"\b" + re.escape(term.strip()) + r"\b", re.IGNORECASE)
    rows = tuple((s.paragraph, s.number, s.label, s.text) for s in _all_sentences() if pattern.search(s.text))
    return Table(f"Sentences containing {term.strip()!r}", ("Paragraph", "Sentence", "Label", "Text"), rows)


# --- who speaks ----------------------------------------------------------------------------------------------


def quoted_speakers() -> Table:
    """Who the article quotes directly, and how often (from ``article.quotations()``)."""
    counts = Counter(q.speaker for q in article.quotations())
    rows = tuple((speaker, n) for speaker, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return Table("Direct quotations in the article, by speaker", ("Speaker", "Direct quotations"), rows)


def _quoted_spans(pid: str) -> list[tuple[int, int, str]]:
    """(start, end, words) of each stretch of the paragraph inside double quotation marks."""
    text = article.paragraph(pid).text
    return [(m.start(1), m.end(1), m.group(1)) for m in _QUOTED.finditer(text)]


def _speaker_of(pid: str, words: str) -> str:
    for q in article.quotations(kind=None):
        if q.paragraph == pid and q.text.strip() == words.strip():
            if q.speaker is None:
                return "the author (in quotation marks, but no speaker is named)"
            return f"{q.speaker}, as the article quotes him ({q.id})"
    return "someone quoted (not in the article's list of quotations)"


def who_uses(term: str) -> Table:
    """Every place ``term`` occurs in the article (as whole words, ignoring case), and whose words they are.

    Inside quotation marks the words belong to the speaker the article names (see ``article.quotations``);
    outside them, they are the author's.
    """
    if not isinstance(term, str) or not term.strip():
        raise CourseValueError("give a word or phrase to look for, e.g. who_uses('backyard')")
    pattern = re.compile(r"(?<!\w)" + re.escape(term.strip()) + r"(?!\w)", re.IGNORECASE)  # whole words only
    rows = []
    for p in article.paragraphs():
        for match in pattern.finditer(p.text):
            span = next(((a, b, w) for a, b, w in _quoted_spans(p.id) if a <= match.start() < b), None)
            who = _speaker_of(p.id, span[2]) if span else "the author"
            rows.append((p.id, _context(p.text, match.start(), match.end()), who))
    return Table(f"Where {term.strip()!r} occurs, and whose words they are", ("Paragraph", "In context", "Whose words"),
                 tuple(rows))


def _context(text: str, start: int, end: int, width: int = 35) -> str:
    """The words around text[start:end], cut at spaces, with "…" where the paragraph goes on."""
    left = text.rfind(" ", 0, max(0, start - width)) + 1 if start > width else 0
    right = text.find(" ", min(len(text), end + width))
    right = len(text) if right == -1 else right
    return ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")


def loaded_words(words: Iterable[str] = LOADED_WORDS) -> Table:
    """``who_uses`` for several words at once (by default ``LOADED_WORDS``)."""
    rows = tuple((w, *row) for w in words for row in who_uses(w).rows)
    return Table("Words that carry a judgement: where they occur and whose words they are",
                 ("Word", "Paragraph", "In context", "Whose words"), rows)


# --- other reports of the same talks ----------------------------------------------------------------------


def _sources_by_id() -> dict[str, dict]:
    return {s["id"]: s for s in article.source_records()}


def source(source_id: str) -> str:
    """One report the article was checked against, as "Publisher, Title (Year). URL"."""
    records = _sources_by_id()
    if source_id not in records:
        raise unknown_name("source", source_id, list(records))
    s = records[source_id]
    return f"{s['publisher']}, {s['title']} ({s['year']}). {s['url']}"


def _findings(quotation_id: str) -> list[dict]:
    """Provenance findings about this quotation: those naming at most two quotations (q4 and q13 share one).
    The finding that names q1-q11 together is the article-wide pattern (the 24.kg report), not about one quotation;
    notebook 01 explains it in its text."""
    return [f for f in article.provenance() if quotation_id in f["quotation_ids"] and len(f["quotation_ids"]) <= 2]


def lateral(quotation_id: str) -> Table:
    """Lateral reading for one quotation ("q1" ... "q13"): what the article prints, which reports carry the same
    statement, and what the comparison found."""
    quotes = {q.id: q for q in article.quotations(kind=None)}
    if quotation_id not in quotes:
        raise unknown_name("quotation id", quotation_id, list(quotes), limit=20)
    q = quotes[quotation_id]
    records = _sources_by_id()
    rows = [("The article", f"{q.paragraph} ({q.speaker or 'no speaker'})", f'"{q.text}"')]
    for finding in _findings(quotation_id):
        for sid in finding["found_in"]:
            s = records[sid]
            rows.append(("Also carried by", f"{s['publisher']} [{data.kind_label(s)}]", _shorten(s["title"], 80)))
        if not finding["found_in"]:
            rows.append(("Also carried by", "none of the reports read", ""))
        first = finding["first_published_by"]
        first_text = records[first]["publisher"] if first else "cannot be established from the pages read"
        rows.append(("Published first by", first_text, ""))
        rows.append(("What the comparison found", "", finding["note"]))
    return Table(f"Quotation {quotation_id} and other reports of the same talks", ("", "Who", "Words / details"),
                 tuple(rows))


def provenance_overview() -> Table:
    """For each quotation: where it is, whose it is, how many of the reports read carry it, who published first."""
    rows = []
    for q in article.quotations(kind=None):
        findings = _findings(q.id)
        carried = sorted({sid for f in findings for sid in f["found_in"]})
        first = next((f["first_published_by"] for f in findings if f["first_published_by"]), None)
        rows.append((q.id, q.paragraph, q.speaker or "(no speaker)", _shorten(q.text, 50), len(carried),
                     first or "cannot be established"))
    return Table("The article's words in quotation marks, compared with other reports",
                 ("Quotation", "Paragraph", "Speaker (per the article)", "Words", "Reports read that carry them",
                  "Published first by"), tuple(rows))


def additions() -> Table:
    """What the article adds to the reports of the talks: the findings recorded in data/article.json."""
    found = article._data()["raw"].get("additions", [])  # no public accessor in course.article for this part
    rows = tuple((", ".join(a["paragraphs"]), a["kind"], a["note"]) for a in found)
    return Table("What the article adds beyond the reports read", ("Paragraphs", "Kind", "What was found"), rows)


def visit_dates() -> Table:
    """The dates of Putin's state visit as each source gives them (from the article data's ``visit_dates``)."""
    meta = article.metadata()["visit_dates"]
    records = _sources_by_id()
    rows = tuple((records[sid]["publisher"], records[sid]["url"], records[sid]["note"]) for sid in meta["source_ids"])
    return Table("The dates of the visit, source by source", ("Publisher", "Address", "What it says"), rows)


# --- exercise checks (notebook 01) ---------------------------------------------------------------------------


def _as_id_list(value: Any) -> list[str] | None:
    if isinstance(value, (list, tuple, set, frozenset)) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value]
    return None


@exercise("01-eaeu-paragraphs", label="1.1", solution="""
    article.search("Eurasian Economic Union")
    eaeu_paragraphs = ["II.2", "III.1", "IV.2"]
""")
def _check_eaeu(value: Any) -> tuple[bool, str]:
    """Exercise 1.1: the ids of the paragraphs where "Eurasian Economic Union" appears."""
    expected = {pid for pid, _ in article.search("Eurasian Economic Union")}
    if isinstance(value, str):
        return False, 'Give a list of paragraph ids in square brackets, like ["I.1", "V.2"], even for one id.'
    ids = _as_id_list(value)
    if ids is None:
        return False, 'Give a list of paragraph ids written as text in quotes, like ["I.1", "V.2"].'
    if not ids:
        return False, "Your list is empty. Run article.search(\"Eurasian Economic Union\") and read the ids it shows."
    given = set(ids)
    valid = {p.id for p in article.paragraphs()}
    unknown = sorted(given - valid)
    if unknown:
        return False, (f"{', '.join(unknown)} is not a paragraph id. Ids look like \"II.3\": a Roman numeral "
                       "for the section, a dot, and the paragraph number.")
    extra, missing = given - expected, expected - given
    if extra:
        verb = "points" if len(extra) == 1 else "point"
        return False, (f"{len(extra)} of your ids {verb} to a paragraph without the phrase. Check the search "
                       "results again, and make sure you searched for the whole phrase.")
    if missing:
        return False, (f"You have {len(given)} of the {len(expected)} paragraphs. The search gives one line per "
                       "match: look at every line, not only the first.")
    sections = [sid for sid, _ in article.sections() if any(pid.split(".")[0] == sid for pid in expected)]
    return True, (f"Right: the phrase appears in {len(expected)} paragraphs, in sections {', '.join(sections)}. "
                  "Notice that the article explains what the Union is (II.2) in its own words, not in a quotation.")


@exercise("01-japarov-quotations", label="1.3", solution="""
    japarov_count = len(article.quotations(speaker="Sadyr Japarov"))
""")
def _check_japarov(value: Any) -> tuple[bool, str]:
    """Exercise 1.3: how many direct quotations the article gives to Sadyr Japarov."""
    expected = len(article.quotations(speaker="Sadyr Japarov"))
    putin = len(article.quotations(speaker="Vladimir Putin"))
    everyone = len(article.quotations())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, list):
            return False, "That is a list of quotations. Wrap it in len(...) to count them."
        return False, "Your answer should be a whole number: use len(...) to count the quotations."
    if value == expected:
        return True, (f"Right: {expected} direct quotations for Japarov, against {putin} for Putin. "
                      "Nobody else is quoted.")
    if value == 0:
        return False, ('No quotations found: check the speaker\'s name. It must be spelled exactly as in the data, '
                       'with the first name: "Sadyr Japarov".')
    if value == putin:
        return False, "That is the number for the other president. Check the name you gave to speaker=."
    if value >= everyone:
        return False, "That counts the quotations of everyone. Keep only Japarov's with speaker=\"Sadyr Japarov\"."
    return False, 'Not the count the data gives. Use len(article.quotations(speaker=...)) with the name in full.'


_AUTHOR_WORDS = {"author", "the author", "author's own words", "the author's own words", "authors own words",
                 "the author's words", "author's words", "the article", "the article's author"}


@exercise("01-backyard-label", label="1.2", solution="""
    backyard_label = "author"
""")
def _check_backyard(value: Any) -> tuple[bool, str]:
    """Exercise 1.2: whose word "backyard" is, as a careful reader labels it (not as the rule does)."""
    if not isinstance(value, str) or not value.strip():
        return False, 'Write one word in quotes: "quotation", "reported" or "author".'
    answer = " ".join(value.strip().lower().replace("’", "'").split())
    if answer in _AUTHOR_WORDS:
        return True, ('Right: the rule says "quotation" because of the quotation marks, but the article names no '
                      'speaker for "backyard". The word is the author\'s own; none of the reports of the talks '
                      "that were read uses it.")
    if answer == "quotation":
        return False, ("That is what the rule says, because it only sees the quotation marks. Read the sentence: "
                       "who does the article say used this word?")
    if answer == "reported":
        return False, "Is there a reporting phrase such as \"said\" or \"according to\" in that sentence?"
    return False, 'Use one of the three labels: "quotation", "reported" or "author".'
