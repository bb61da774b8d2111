"""Quality of `digest trim`: direct quotations and speakers, on German news and on our fixtures.

    .venv/bin/python bench/trim_quality.py                # German dev split + fixtures
    .venv/bin/python bench/trim_quality.py --split train  # the split to tune on
    .venv/bin/python bench/trim_quality.py --errors       # also list what was missed or wrong

German: ../shared/eval/de-quotes/ next to the repository (never copied into it). Counted are the
direct quotations of four words or more. A found quotation matches an annotated one when one text
contains the other (or most of their words are shared). A span annotated twice counts once.
Speaker accuracy is over matched quotations whose annotated speaker is named, i.e. is neither empty
nor only pronouns: personal, demonstrative and relative pronouns (er, der, letztere), pronominal
adverbs (darauf, wonach), or a possessive with a noun for an opinion (seiner Meinung); a speaker is
right when its words are among the annotated mention's words or the other way round ("Uwe Foullong"
for "der zuständige Gewerkschaftsvorstand Uwe Foullong"), words that differ only by a case ending
counting as one (Hartmanns, Hartmann). The figure by the first rule of this bench (only personal
pronouns unnamed, words compared exactly) is printed next to it, as "old rule".

Fixtures: tests/fixtures/trim/<language>/<name>.txt|.html|.md with <name>.json holding the
expected title, language, lede (at the default budget) and every quotation with its speaker.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from digest.domain import Article  # noqa: E402
from digest.ingest.folder import read_article  # noqa: E402
from digest.ingest.structure import paragraphs_of  # noqa: E402
from digest.trim import trim  # noqa: E402
from digest.trim.quotes import find_quotes  # noqa: E402

DATA = REPO.parent / "shared" / "eval" / "de-quotes"
FIXTURES = REPO / "tests" / "fixtures" / "trim"
MIN_WORDS = 4
PRONOUNS = {"er", "sie", "es", "ich", "wir", "ihr", "man", "ihn", "ihm", "er selbst", "sie selbst"}
# words that refer to someone named elsewhere without naming them
REFERRING = set(" ".join(PRONOUNS).split()) | set(
    "der die das dem den denen dessen deren dieser diese dieses diesem diesen jener jene jenem jenen "
    "letztere letzterer letzteres letzteren erstere ersterer welche welcher welches dies "
    "darauf darin darunter daraus dazu damit davon daraufhin wonach worin womit woraufhin".split()
)
POSSESSIVES = set("sein seine seiner seinem seinen seines ihre ihrer ihrem ihren ihres".split()) | {"ihr"}
OPINION_NOUNS = set("meinung ansicht auffassung einschätzung worte worten angaben aussage aussagen".split())
CASE_ENDINGS = ("s", "es", "n", "en", "e", "er", "em")
_MARKS = "„“”\"«»‚‘’'‹›「」"
_WORD = re.compile(r"\w+")
_DETERMINERS = {"der", "die", "das", "des", "dem", "den", "ein", "eine", "einer", "eines", "einem", "einen"}


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _norm(text: str) -> str:
    return " ".join(_words(text))


def same_text(found: str, expected: str) -> bool:
    a, b = _norm(found), _norm(expected)
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    wa, wb = set(a.split()), set(b.split())
    return len(wa & wb) / min(len(wa), len(wb)) >= 0.6


def same_speaker(found: str | None, expected: str) -> bool:
    if not found:
        return False
    a = {w for w in _words(found) if w not in _DETERMINERS}
    b = {w for w in _words(expected) if w not in _DETERMINERS}
    return bool(a) and bool(b) and (a <= b or b <= a)


def named(mention: str) -> bool:
    """Whether an annotated speaker names someone: not empty, not only pronouns or pronominal adverbs,
    not a possessive with a noun for an opinion (seiner Meinung nach)."""
    words = set(_words(mention))
    if not words or words <= REFERRING:
        return False
    return not (words & POSSESSIVES and words <= POSSESSIVES | OPINION_NOUNS | _DETERMINERS)


def named_old(mention: str) -> bool:
    return bool(mention) and mention.lower() not in PRONOUNS


def _same_word(a: str, b: str) -> bool:
    """One word, up to a case ending: Hartmanns and Hartmann, des Abgeordneten and der Abgeordnete."""
    short, long = sorted((a, b), key=len)
    return a == b or (len(short) > 3 and long.startswith(short) and long[len(short) :] in CASE_ENDINGS)


def same_speaker_inflected(found: str | None, expected: str) -> bool:
    if not found:
        return False
    a = [w for w in _words(found) if w not in _DETERMINERS]
    b = [w for w in _words(expected) if w not in _DETERMINERS]
    if not a or not b:
        return False
    return all(any(_same_word(x, y) for y in b) for x in a) or all(
        any(_same_word(y, x) for x in a) for y in b
    )


def match(found: list, expected: list, key) -> list[tuple[int, int]]:
    """Greedy one-to-one pairs (found index, expected index) in order of appearance."""
    pairs, used = [], set()
    for i, f in enumerate(found):
        for j, e in enumerate(expected):
            if j not in used and same_text(f.text, key(e)):
                pairs.append((i, j))
                used.add(j)
                break
    return pairs


def _direct(doc: dict) -> list[dict]:
    """The annotated direct quotations of four words or more, once per span (a span annotated twice,
    for a speaker and for the outlet that quotes them, is one quotation with either speaker right)."""
    spans: dict[tuple[int, int], dict] = {}
    for q in doc["quotes"]:
        if q["type"] == "Direct" and len(q["text"].strip(_MARKS + " ").split()) >= MIN_WORDS:
            entry = spans.setdefault(tuple(q["quote_span"]), {"text": q["text"], "speakers": []})
            entry["speakers"].append(q["speaker"].strip())
    return list(spans.values())


def german(split: str, errors: bool) -> bool:
    path = DATA / f"{split}.jsonl"
    if not path.exists():
        print(f"German quotations: skipped, {path} is absent (see /work/shared/eval/de-quotes/README.md)")
        return True
    n_found = n_gold = n_match = n_named = named_right = old_named = old_right = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        article = Article(title=doc["title"], paragraphs=paragraphs_of(doc["text"]), language="de")
        found = [q for q in find_quotes(article) if len(q.text.split()) >= MIN_WORDS]
        gold = _direct(doc)
        pairs = match(found, gold, key=lambda q: q["text"])
        n_found, n_gold, n_match = n_found + len(found), n_gold + len(gold), n_match + len(pairs)
        for i, j in pairs:
            old_speakers = [s for s in gold[j]["speakers"] if named_old(s)]
            if old_speakers:
                old_named += 1
                old_right += any(same_speaker(found[i].speaker, s) for s in old_speakers)
            speakers = [s for s in gold[j]["speakers"] if named(s)]
            if speakers:
                n_named += 1
                ok = any(same_speaker_inflected(found[i].speaker, s) for s in speakers)
                named_right += ok
                if errors and not ok:
                    print(
                        f"  speaker {doc['id']}: {found[i].speaker!r} for {speakers}: {found[i].text[:60]!r}"
                    )
        if errors:
            hit_f, hit_g = {i for i, _ in pairs}, {j for _, j in pairs}
            for i, q in enumerate(found):
                if i not in hit_f:
                    print(f"  extra   {doc['id']}: {q.text[:90]!r} ({q.speaker})")
            for j, q in enumerate(gold):
                if j not in hit_g:
                    print(f"  missed  {doc['id']}: {q['text'][:90]!r} ({q['speakers']})")
    precision = n_match / n_found if n_found else 0.0
    recall = n_match / n_gold if n_gold else 0.0
    accuracy = named_right / n_named if n_named else 0.0
    old_accuracy = old_right / old_named if old_named else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"German quotations ({split}, {n_gold} annotated of {MIN_WORDS}+ words, {n_found} found):")
    print(f"  precision {precision:.3f} (target 0.92)  recall {recall:.3f} (target 0.95)  F1 {f1:.3f}")
    print(
        f"  speaker accuracy {accuracy:.3f} over {n_named} named speakers (target 0.85)"
        f"; old rule {old_accuracy:.3f} over {old_named}"
    )
    return precision >= 0.92 and recall >= 0.95 and accuracy >= 0.85


def fixtures(errors: bool) -> bool:
    cases = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".txt", ".html", ".md"))
    if not cases:
        print(f"Fixtures: none under {FIXTURES}")
        return False
    titles = languages = ledes = quotes_total = quotes_right = extra = 0
    for path in cases:
        expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        article = read_article(path)
        brief = trim(article)
        found = find_quotes(article, brief.language)
        ok_title = brief.title == expected["title"]
        ok_lang = brief.language == expected["language"]
        ok_lede = brief.lede == expected["lede"]
        titles, languages, ledes = titles + ok_title, languages + ok_lang, ledes + ok_lede
        pairs = match(found, expected["quotes"], key=lambda q: q["text"])
        right = [(i, j) for i, j in pairs if found[i].speaker == expected["quotes"][j]["speaker"]]
        quotes_total += len(expected["quotes"])
        quotes_right += len(right)
        extra += len(found) - len(pairs)
        if errors:
            name = path.relative_to(FIXTURES)
            if not ok_title:
                print(f"  title   {name}: {brief.title!r}")
            if not ok_lang:
                print(f"  language {name}: {brief.language!r}")
            if not ok_lede:
                print(f"  lede    {name}: {brief.lede!r}\n     want {expected['lede']!r}")
            hit_f, hit_e = {i for i, _ in right}, {j for _, j in right}
            for i, q in enumerate(found):
                if i not in hit_f:
                    print(f"  found   {name}: {q.text[:70]!r} ({q.speaker})")
            for j, q in enumerate(expected["quotes"]):
                if j not in hit_e:
                    print(f"  wanted  {name}: {q['text'][:70]!r} ({q['speaker']})")
    n = len(cases)
    share = quotes_right / quotes_total if quotes_total else 0.0
    print(f"Fixtures ({n} articles, {quotes_total} quotations):")
    print(f"  titles {titles}/{n}  languages {languages}/{n}  ledes {ledes}/{n}")
    print(
        f"  quotations found with the right speaker {quotes_right}/{quotes_total} = {share:.3f} (target 0.95)"
        f"; {extra} found that are not quotations"
    )
    return titles == languages == ledes == n and share >= 0.95


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=("train", "dev"))
    parser.add_argument("--errors", action="store_true", help="list every miss, extra and wrong speaker")
    parser.add_argument("--only", choices=("german", "fixtures"))
    args = parser.parse_args()
    results = []
    if args.only in (None, "german"):
        results.append(german(args.split, args.errors))
    if args.only in (None, "fixtures"):
        results.append(fixtures(args.errors))
    print("targets met" if all(results) else "targets NOT met")
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
