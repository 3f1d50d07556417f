"""Tests for course.lessons.reading_the_article:
sentences, the labelling rule, who uses a word, lateral reading, and the checks of
notebook 01's exercises."""

from __future__ import annotations

import pytest

from course import article
from course.exercises import check
from course.lessons import reading_the_article as reading

# --- sentences -------------------------------------------------------------------------------------------


def test_sentences_put_back_together_give_the_paragraph():
    for p in article.paragraphs():
        parts = reading.sentences(p.id)
        assert parts
        assert all(s.strip() == s and s for s in parts)
        assert " ".join(parts) == " ".join(p.text.split()), p.id


def test_a_quotation_of_two_sentences_stays_in_one_sentence():
    parts = reading.sentences("I.2")
    assert len(parts) == 5
    assert parts[1].startswith('He declared, "Russia was, and remains')
    assert parts[1].endswith('brotherly Russian Federation."')


def test_sentence_counts_per_paragraph():
    counts = {p.id: len(reading.sentences(p.id)) for p in article.paragraphs()}
    assert counts == {"I.1": 4, "I.2": 5, "II.1": 5, "II.2": 6, "II.3": 7, "III.1": 5, "III.2": 4, "III.3": 4,
                      "IV.1": 5, "IV.2": 3, "V.1": 4, "V.2": 3}


def test_sentences_of_an_unknown_paragraph_name_the_valid_ids():
    with pytest.raises(KeyError, match="paragraph ids in the article are"):
        reading.sentences("VI.1")


# --- the labelling rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence, label",
    [
        ('He pointed out, "Our people can feel it."', "quotation"),
        ('Its "backyard" countries matter.', "quotation"),
        ("According to Japarov, the visit was important.", "reported"),
        ("Japarov highly praised the key role Russia plays.", "reported"),
        ("This statement emphasized the strategic nature.", "reported"),  # a known mistake of the rule
        ("Energy and food security are the cornerstones of national security.", "author"),
        ("He resaid nothing.", "author"),  # whole words only: "resaid" is not "said"
        ("", "author"),
    ],
)
def test_classify(sentence, label):
    assert reading.classify(sentence) == label


def test_signal_says_why():
    assert reading.signal('He said "yes".') == 'quotation marks: "yes"'
    assert reading.signal("According to him, yes.") == "reporting phrase: According to"
    assert reading.signal("Plain words.") == ""


@pytest.mark.parametrize("bad", [None, 3, ["a sentence"]])
def test_classify_and_signal_refuse_what_is_not_text(bad):
    with pytest.raises(TypeError, match="text"):
        reading.classify(bad)
    with pytest.raises(TypeError, match="text"):
        reading.signal(bad)


def test_every_direct_quotation_falls_in_a_sentence_labelled_quotation():
    table = reading.sentence_table()
    quoted = [row[4] for row in table if row[2] == "quotation"]
    for q in article.quotations():
        assert any(q.text in s for s in quoted), q.id


def test_sentence_table_filters_and_rejects_unknown_labels():
    rows = reading.sentence_table("III", label="quotation")
    assert len(rows) == 1
    assert rows[0][:3] == ("III.2", 2, "quotation")
    assert '"backyard"' in rows[0][4]
    assert len(reading.sentence_table("II.1")) == 5
    with pytest.raises(ValueError, match="label must be one of"):
        reading.sentence_table(label="opinion")


def test_label_counts_add_up_to_every_sentence():
    table = reading.label_counts()
    assert table.column("Section") == ["I", "II", "III", "IV", "V"]
    assert sum(table.column("total")) == len(reading.sentence_table())
    assert table.column("quotation")[4] == 0  # the conclusion quotes nobody


def test_sentences_with_finds_whole_words():
    table = reading.sentences_with("will")
    assert [(r[0], r[1]) for r in table] == [("IV.1", 2), ("IV.1", 5), ("V.1", 1), ("V.2", 3)]
    with pytest.raises(ValueError):
        reading.sentences_with("  ")


# --- who speaks and whose words ----------------------------------------------------------------------------


def test_quoted_speakers():
    assert list(reading.quoted_speakers()) == [("Sadyr Japarov", 7), ("Vladimir Putin", 5)]


def test_who_uses_tells_speaker_from_author():
    (brotherly,) = reading.who_uses("brotherly").rows
    assert brotherly[0] == "I.2"
    assert "Sadyr Japarov" in brotherly[2]
    assert "q1" in brotherly[2]
    (backyard,) = reading.who_uses("BACKYARD").rows
    assert backyard[0] == "III.2"
    assert "no speaker" in backyard[2]
    (irreplaceable,) = reading.who_uses("irreplaceable").rows
    assert irreplaceable[2] == "the author"
    assert [r[0] for r in reading.who_uses("direct personal control")] == ["I.2", "IV.2"]
    assert all("Vladimir Putin" in r[2] for r in reading.who_uses("direct personal control"))


def test_who_uses_matches_whole_words_only_and_reports_nothing_found():
    assert [r[0] for r in reading.who_uses("solid")] == ["III.2", "IV.2"]  # not "consolidates"
    empty = reading.who_uses("zebra")
    assert len(empty) == 0
    assert "(nothing found)" in repr(empty)
    assert "nothing found" in empty._repr_html_()
    with pytest.raises(ValueError):
        reading.who_uses("")


def test_loaded_words_cover_every_default_word():
    table = reading.loaded_words()
    assert set(table.column("Word")) == set(reading.LOADED_WORDS)


# --- other reports -----------------------------------------------------------------------------------------


def test_lateral_reading_of_q1():
    table = reading.lateral("q1")
    assert table[0][0] == "The article"
    assert "sincere friend" in table[0][2]
    carried = [r[1] for r in table if r[0] == "Also carried by"]
    assert "24.kg news agency [news agency]" in carried
    assert "President of Russia (Kremlin) [official]" in carried
    assert "TASS [state media of Russia, a party to the story]" in carried
    assert ("Published first by", "cannot be established from the pages read", "") in table.rows


def test_lateral_reading_of_a_word_nobody_else_uses():
    assert ("Also carried by", "none of the reports read", "") in reading.lateral("q12").rows
    with pytest.raises(KeyError, match="q1"):
        reading.lateral("q99")


def test_provenance_overview_has_every_quotation_and_no_first_publisher():
    table = reading.provenance_overview()
    assert table.column("Quotation") == [f"q{i}" for i in range(1, 14)]
    assert set(table.column("Published first by")) == {"cannot be established"}
    assert table.column("Reports read that carry them")[11] == 0  # "backyard"


def test_visit_dates_show_both_versions_with_their_sources():
    table = reading.visit_dates()
    notes = " ".join(table.column("What it says"))
    assert "25 to 27 November" in notes
    assert "25–26" in notes
    assert "Vedomosti" in table.column("Publisher")


def test_source_and_additions():
    assert reading.source("24kg-en-japarov-to-putin").startswith("24.kg news agency, Japarov to Putin")
    with pytest.raises(KeyError, match="There is no source"):
        reading.source("nope")
    assert [r[0] for r in reading.additions()][1:] == ["III.1, III.2, III.3", "IV.1, IV.2", "V.1, V.2"]


# --- showing ------------------------------------------------------------------------------------------------


def test_show_the_article_a_section_or_a_paragraph():
    whole = repr(reading.show())
    assert whole.startswith(article.metadata()["title"])
    assert "[V.2]" in whole
    assert "<h3>III. Russia-Kyrgyzstan Relations" in reading.show()._repr_html_()  # the whole text has headings
    assert "[II.3]" in repr(reading.show("II"))
    assert "[III.1]" not in repr(reading.show("II"))
    assert repr(reading.show("II.3")).count("[") == 1
    with pytest.raises(KeyError):
        reading.show("VII")


def test_tables_escape_html_and_are_stable():
    table = reading.Table("<caption>", ("a", "b"), (("<script>", 1),))
    shown = table._repr_html_()
    assert "<script>" not in shown
    assert "&lt;script&gt;" in shown
    assert "&lt;caption&gt;" in shown
    assert reading.sentence_table("I")._repr_html_() == reading.sentence_table("I")._repr_html_()
    with pytest.raises(KeyError, match="columns are"):
        table.column("c")


# --- exercise checks -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("answer", [["II.2", "III.1", "IV.2"], ("IV.2", "II.2", "III.1"), {"II.2", "III.1", "IV.2"},
                                    ["II.2", "II.2", "III.1", "IV.2"], [" II.2", "III.1 ", "IV.2"]])
def test_eaeu_paragraphs_right(answer, progress_dir):
    assert check("01-eaeu-paragraphs", answer).ok


@pytest.mark.parametrize(
    "answer, hint",
    [
        (["II.2"], "You have 1 of the 3"),
        (["II.2", "III.1", "IV.2", "V.1"], "1 of your ids points"),
        (["II.2", "VI.9"], "not a paragraph id"),
        ("II.2", "list"),
        ([], "empty"),
        (42, "list"),
        ([2.2, 3.1], "list"),
    ],
)
def test_eaeu_paragraphs_wrong_gives_a_hint_not_the_answer(answer, hint, progress_dir):
    result = check("01-eaeu-paragraphs", answer)
    assert not result.ok
    assert hint in result.message
    assert "III.1" not in result.message
    assert "IV.2" not in result.message


@pytest.mark.parametrize("answer", [7, 7.0])
def test_japarov_count_right(answer, progress_dir):
    result = check("01-japarov-quotations", answer)
    assert result.ok
    assert "5 for Putin" in result.message


@pytest.mark.parametrize(
    "answer, hint",
    [(5, "other president"), (0, "Sadyr Japarov"), (12, "everyone"), (3, "Not the count"), ("7", "whole number"),
     (True, "whole number"), (7.5, "whole number"), (["q1"], "len(")],
)
def test_japarov_count_wrong_gives_a_hint(answer, hint, progress_dir):
    result = check("01-japarov-quotations", answer)
    assert not result.ok
    assert hint in result.message
    assert "7" not in result.message


@pytest.mark.parametrize("answer", ["author", " Author ", "the author", "author's own words", "the author’s words"])
def test_backyard_label_right(answer, progress_dir):
    assert check("01-backyard-label", answer).ok


@pytest.mark.parametrize("answer, hint", [("quotation", "quotation marks"), ("reported", "reporting phrase"),
                                          ("Putin", "three labels"), ("", "one word"), (3, "one word")])
def test_backyard_label_wrong_gives_a_hint(answer, hint, progress_dir):
    result = check("01-backyard-label", answer)
    assert not result.ok
    assert hint in result.message


def test_missing_answers_are_hints_not_errors(progress_dir):
    for exercise_id in ("01-eaeu-paragraphs", "01-japarov-quotations", "01-backyard-label"):
        assert "Not answered yet" in repr(check(exercise_id, ...))
        assert not check(exercise_id, None).ok


def test_checks_are_recorded_under_notebook_01(progress_dir):
    from course.quiz.progress import store

    check("01-japarov-quotations", 7)
    (record,) = [r for r in store().attempts() if r["kind"] == "exercise"]
    assert record["notebook"] == "01_reading_the_article"
    assert record["correct"] is True
