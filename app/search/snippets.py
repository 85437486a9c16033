"""Snippets: the passage of a result's text where the searched words are, with them in ``<mark>``.

The text around the marks is escaped, so an item's content can never add markup to the results page.
Words are compared folded (:func:`app.search.backends.fold` keeps every character's position), so "dong"
marks "Đồng" as the index matched it.
"""

from collections import Counter

from markupsafe import Markup, escape

from app.search.backends import WORD, fold

WIDTH = 240
MAX_SPANS = 400


def _matches(word, words, prefix):
    return word in words or (prefix is not None and word.startswith(prefix))


def spans(text, words, prefix=None):
    """``[(start, end)]`` of the words of ``text`` that match ``words`` (or start with ``prefix``)."""
    wanted = set(words)
    return [(m.start(), m.end()) for m in WORD.finditer(fold(text)) if _matches(m.group(), wanted, prefix)]


def highlight(text, words, prefix=None):
    """``text`` escaped, with the matching words in ``<mark>``."""
    out, last = [], 0
    for start, end in spans(text, words, prefix):
        out.append(escape(text[last:start]))
        out.append(Markup("<mark>%s</mark>") % text[start:end])
        last = end
    out.append(escape(text[last:]))
    return Markup("").join(out)


def snippet(texts, words, prefix=None, width=WIDTH):
    """The best passage of about ``width`` characters among ``texts`` (the summary, then the body).

    The passage with the most different searched words wins; without any, the start of the first text.
    """
    best = None
    for text in texts:
        if not text:
            continue
        found = [(s, e, fold(text[s:e])) for s, e in spans(text, words, prefix)[:MAX_SPANS]]
        inside, j = Counter(), 0
        for start, _, word in found:  # a window sliding over the matches
            while j < len(found) and found[j][1] <= start + width:
                inside[found[j][2]] += 1
                j += 1
            if best is None or len(inside) > best[0]:
                best = (len(inside), text, start)
            inside[word] -= 1
            if not inside[word]:
                del inside[word]
        if best is None and text:
            best = (0, text, 0)
    if best is None:
        return Markup("")
    _, text, start = best
    begin = max(0, start - width // 4)
    if begin:
        space = text.rfind(" ", 0, begin)
        begin = space + 1 if space >= 0 and begin - space < 30 else begin
    end = min(len(text), begin + width)
    if end < len(text):
        space = text.rfind(" ", begin, end)
        end = space if space > begin + width // 2 else end
    passage = highlight(text[begin:end], words, prefix)
    return Markup("%s%s%s") % ("… " if begin else "", passage, " …" if end < len(text) else "")
