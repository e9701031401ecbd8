"""Themes in customers' own words: a simple, explainable keyword and bigram count.

A theme's count is the number of texts that mention it (not the number of mentions), so
one long rant does not dominate. Bigrams ("long wait") win over their words when they
are frequent; stop words never count. No model, no network: anyone can check the count.
"""

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOP_WORDS = _words(
    """
    a about above after again against all am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do
    does doesn't doing don't down during each few for from further had hadn't has hasn't
    have haven't having he her here hers herself him himself his how i i'd i'll i'm i've if
    in into is isn't it it's its itself just let's like me more most much mustn't my myself
    no nor not now of off on once only or other ought our ours ourselves out over own really
    same she should shouldn't so some such than that that's the their theirs them themselves
    then there there's these they they'd they'll they're they've this those through to too
    under until up us very was wasn't we we'd we'll we're we've were weren't what what's
    when where which while who whom why will with won't would wouldn't you you'd you'll
    you're you've your yours yourself yourselves also get got one even still always never
    every ever thing things lot lots time times would yes ok okay well make made way
    """
)
WORD = re.compile(r"[a-zA-Z][a-zA-Z'’]*")


@dataclass(frozen=True)
class Theme:
    phrase: str
    count: int  # texts that mention it
    share: float  # of all texts


def _tokens(text: str) -> list[str | None]:
    """Lower-case words; stop words and short words become None (they break bigrams)."""
    out: list[str | None] = []
    for w in WORD.findall(text):
        w = w.lower().replace("’", "'").strip("'")
        out.append(None if (w in STOP_WORDS or len(w) < 3) else w)
    return out


def themes(texts: Iterable[str], top: int = 5, min_count: int = 2) -> list[Theme]:
    """The most frequent themes: bigrams first where they are common, then single words."""
    unigrams: Counter[str] = Counter()
    bigrams: Counter[str] = Counter()
    n = 0
    for text in texts:
        if not text or not text.strip():
            continue
        n += 1
        tokens = _tokens(text)
        unigrams.update({t for t in tokens if t})
        bigrams.update(
            {f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False) if a and b and a != b}
        )
    if not n:
        return []
    picked: list[tuple[str, int]] = []
    covered: set[str] = set()
    for phrase, count in sorted(bigrams.items(), key=lambda kv: (-kv[1], kv[0])):
        if count < min_count or len(picked) >= top:
            break
        picked.append((phrase, count))
        covered.update(phrase.split())
    for word, count in sorted(unigrams.items(), key=lambda kv: (-kv[1], kv[0])):
        if len(picked) >= top * 2 or count < min_count:
            break
        # A word already inside a chosen bigram adds nothing unless it is much more common.
        if word in covered and all(word not in p or count <= c * 1.5 for p, c in picked):
            continue
        picked.append((word, count))
    picked.sort(key=lambda pc: (-pc[1], -len(pc[0].split()), pc[0]))
    return [Theme(p, c, c / n) for p, c in picked[:top]]
