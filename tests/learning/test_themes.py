"""learning.themes: explainable keyword and bigram counts."""

from learning.themes import themes


def test_bigrams_that_recur_are_themes_and_stop_words_never_are():
    texts = [
        "Long wait on hold and then nobody could fix it",
        "long wait, again, and the agent was rude",
        "I had a long wait",
        "the bill is confusing",
        "confusing bill and a long wait",
    ]
    found = themes(texts, top=3)
    assert found[0].phrase == "long wait" and found[0].count == 4
    assert found[0].share == 4 / 5
    phrases = [t.phrase for t in found]
    assert "the" not in phrases and "and" not in phrases
    assert "confusing" in phrases or "bill" in phrases


def test_a_text_counts_once_however_often_it_repeats_a_word():
    found = themes(["slow slow slow slow", "slow app", "app crashed"], top=2)
    assert {t.phrase: t.count for t in found}["slow"] == 2


def test_no_texts_no_themes():
    assert themes([]) == []
    assert themes(["", "   "]) == []
    assert themes(["unique words only"]) == []  # nothing mentioned twice
