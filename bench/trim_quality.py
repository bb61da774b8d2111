"""Quality of `digest trim` on real pages and real quotations, each figure beside its target.

    .venv/bin/python bench/trim_quality.py              # every set, train and dev side by side
    .venv/bin/python bench/trim_quality.py --only en    # one set: scraped, en, de, fixtures
    .venv/bin/python bench/trim_quality.py --errors en  # also list what was missed or wrong (train only)

It reads only the public contract: every article is written to a temporary file and given to the
installed `digest trim --json --all-quotes` (many files per call); nothing inside digest is imported.
The sets are read from ../shared/eval/ next to the repository (never copied into it); a set that is
absent is skipped with a message. How each is scored is in its README there:

- scraped (plain text of real pages, only a dev file): its sites are cut into five folds by a stable
  hash of the site; folds 0-3 are the "train" side (where errors are looked at), fold 4 the "dev"
  side (only checked). Title per variant (B: the article container, A: the whole page), lede from
  the article, boilerplate kept (full gold: share of output paragraphs that are not body; snippet
  gold: share of the boilerplate snippets still in the output), gold body lost (a count). Pages in
  languages other than en, fr, de, es, it are scored apart.
- en (PolNeAR): precision, recall, speaker right and wrong, on direct quotations of 4+ words.
- de (German Wikinews): precision, recall, named speakers right, on direct quotations of 4+ words.
- fixtures: the 25 articles under tests/fixtures/trim and the demo's sample, which must stay perfect.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
EVAL = REPO.parent / "shared" / "eval"
FIXTURES = REPO / "tests" / "fixtures" / "trim"
SAMPLE = REPO / "samples" / "articles" / "000_587257c50a9a4e63.txt"
DIGEST = Path(sys.executable).with_name("digest")
BATCH = 400  # files per `digest trim` call
MIN_WORDS = 4
LANGUAGES = {"en", "fr", "de", "es", "it"}
FOLDS = 5
DEV_FOLD = 4

Record = dict[str, Any]


# -- the contract --------------------------------------------------------------------------------


def trim_records(files: list[tuple[str, str]], *options: str) -> list[Record]:
    """`digest trim --json --all-quotes` over (file name, content) pairs: one record per file, in order."""
    records: list[Record] = []
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for n, (name, content) in enumerate(files):
            path = Path(tmp) / f"{n:06d}_{name}"
            path.write_text(content, encoding="utf-8")
            paths.append(path)
        for k in range(0, len(paths), BATCH):
            batch = paths[k : k + BATCH]
            done = subprocess.run(
                [str(DIGEST), "trim", *map(str, batch), "--json", "--all-quotes", *options],
                capture_output=True,
                text=True,
                check=False,
            )
            got = {Path(r["source"]).name: r for r in map(json.loads, done.stdout.splitlines())}
            for path in batch:
                records.append(
                    got.get(path.name) or {"title": "", "lede": "", "paragraphs": [], "quotes": []}
                )
    return records


def jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# -- words ---------------------------------------------------------------------------------------

_WORD = re.compile(r"\w+")
_STRAIGHT = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'", "\xad": None})


def words(text: str | None) -> list[str]:
    """\\w+ tokens of the NFKC-normalised, case-folded text, soft hyphens removed, quotes straightened."""
    return _WORD.findall(unicodedata.normalize("NFKC", text or "").translate(_STRAIGHT).casefold())


def joined(text: str | None) -> str:
    return " " + " ".join(words(text)) + " "


def shingles(ws: list[str]) -> set[tuple[str, ...]]:
    return {tuple(ws[i : i + 4]) for i in range(len(ws) - 3)}


def share(n: int, d: int) -> float | None:
    return n / d if d else None


# -- scraped pages --------------------------------------------------------------------------------

_CREDIT = re.compile(
    r"©|\b(?:foto|photo|bild|crédit|credit|getty|dpa|afp|reuters|imago|istock|shutterstock|keystone|epa|"
    r"ansa|efe|ap photo|picture alliance)\b",
    re.I,
)
_LINK = re.compile(r"^\s*(?:https?://|www\.)\S+\s*$")


def fold(site: str) -> int:
    return zlib.crc32(site.encode()) % FOLDS


def _paragraphs(text: str) -> list[str]:
    return [" ".join(b.split()) for b in re.split(r"\n\s*\n", text) if b.strip()]


def _title_right(record: Record, doc: dict[str, Any]) -> bool:
    got = words(record.get("title"))
    return bool(got) and any(got == words(t) for t in [doc["title"], *doc["title_alternatives"]])


def _lede_from_article(record: Record, doc: dict[str, Any], paras: list[str]) -> bool:
    head = words(record.get("lede"))[:8]
    if not head:
        return False
    run = " " + " ".join(head) + " "
    if any(run in joined(d) for d in doc["dek"]):
        return True
    if doc["gold_kind"] == "full":
        return any(run in joined(p) for p in doc["gold_body"]) or run in joined(" ".join(doc["gold_body"]))
    snippets = [joined(s) for s in doc["gold_body"]]
    without = [joined(s) for s in doc["gold_without"]]
    texts = [joined(p) for p in paras]
    holding = [i for i, t in enumerate(texts) if any(s in t for s in snippets)]
    if any(run in texts[i] for i in holding):
        return True
    titles = [words(t) for t in [doc["title"], *doc["title_alternatives"]]]
    headline = next((i for i, p in enumerate(paras) if words(p) in titles), None)
    if headline is None or not holding:
        return False
    for i in range(headline + 1, holding[-1] + 1):
        t = texts[i]
        if run in t and not any(w in t for w in without) and not _CREDIT.search(paras[i]):
            return True
    return False


def _output(record: Record) -> list[str]:
    return ([record["standfirst"]] if record.get("standfirst") else []) + list(record.get("paragraphs") or [])


class Scraped:
    """The counts of one side (train or dev) of the scraped set."""

    def __init__(self) -> None:
        self.c: Counter[str] = Counter()
        self.errors: list[str] = []

    def add(self, record: Record, doc: dict[str, Any], keep_errors: bool) -> None:
        c, v = self.c, doc["variant"]
        prefix = "" if doc["language"] in LANGUAGES else "other_"
        paras = _paragraphs(doc["text"])
        right = _title_right(record, doc)
        c[f"{prefix}title_{v}"] += right
        c[f"lang_{doc['language']}_title_{v}"] += right
        c[f"lang_{doc['language']}_texts_{v}"] += 1
        c[f"{prefix}texts_{v}"] += 1
        lede_ok = _lede_from_article(record, doc, paras)
        c[f"{prefix}lede"] += lede_ok
        c[f"lang_{doc['language']}_lede"] += lede_ok
        c[f"{prefix}ledes"] += 1
        if keep_errors and not prefix:
            if not right:
                self.errors.append(f"  title {doc['id']} {v}: {record.get('title')!r} want {doc['title']!r}")
            if not lede_ok:
                self.errors.append(f"  lede  {doc['id']} {v}: {(record.get('lede') or '')[:100]!r}")
        if prefix:
            return
        out = _output(record)
        out_joined = " ".join(joined(p) for p in out)
        if doc["gold_kind"] == "full":
            gold_words = [words(p) for p in doc["gold_body"]]
            gold_sh = set().union(*map(shingles, gold_words)) if gold_words else set()
            for p in out:
                ws = words(p)
                if len(ws) >= 4:
                    sh = shingles(ws)
                    body = len(sh & gold_sh) * 2 >= len(sh)
                else:
                    body = any(
                        ws == g or (len(g) < 10 and joined(p) in joined(" ".join(g))) for g in gold_words
                    )
                c["out_paras"] += 1
                c["out_boiler"] += not body
                if keep_errors and not body:
                    self.errors.append(f"  kept  {doc['id']} {v}: {p[:100]!r}")
            text_sh = shingles(words(doc["text"]))
            out_sh = set().union(*(shingles(words(p)) for p in out)) if out else set()
            for g, p in zip(gold_words, doc["gold_body"], strict=True):
                sh = shingles(g)
                if len(g) < 4 or _LINK.match(p) or len(sh & text_sh) < 0.8 * len(sh):
                    continue
                if len(sh & out_sh) * 2 < len(sh):
                    c["lost"] += 1
                    if keep_errors:
                        self.errors.append(f"  lost  {doc['id']} {v}: {p[:100]!r}")
        else:
            for s in doc["gold_without"]:
                if words(s):
                    c["without"] += 1
                    kept = any(joined(s) in joined(p) for p in out)
                    c["without_kept"] += kept
                    if keep_errors and kept:
                        self.errors.append(f"  kept  {doc['id']} {v}: {s[:100]!r}")
            text = joined(doc["text"])
            for s in doc["gold_body"]:
                js = joined(s)
                if words(s) and js in text and js not in out_joined:
                    c["lost"] += 1
                    if keep_errors:
                        self.errors.append(f"  lost  {doc['id']} {v}: {s[:100]!r}")

    def by_language(self) -> str:
        """Title B, title A and lede per language: "de 0.70/0.55/0.93 (120)"."""
        c, parts = self.c, []
        for code in sorted({k.split("_")[1] for k in c if k.startswith("lang_")}):
            b, a = c[f"lang_{code}_texts_B"], c[f"lang_{code}_texts_A"]
            cells = [
                share(c[f"lang_{code}_title_B"], b),
                share(c[f"lang_{code}_title_A"], a),
                share(c[f"lang_{code}_lede"], a + b),
            ]
            parts.append(
                f"{code} " + "/".join("-" if x is None else f"{x:.2f}" for x in cells) + f" ({a + b})"
            )
        return ", ".join(parts)

    def figures(self) -> dict[str, float | None]:
        c = self.c
        return {
            "title, article container (B)": share(c["title_B"], c["texts_B"]),
            "title, whole page (A)": share(c["title_A"], c["texts_A"]),
            "lede from the article": share(c["lede"], c["ledes"]),
            "boilerplate kept, full gold": share(c["out_boiler"], c["out_paras"]),
            "boilerplate kept, snippet gold": share(c["without_kept"], c["without"]),
            "gold body lost (count)": float(c["lost"]),
            "other languages: title": share(
                c["other_title_A"] + c["other_title_B"], c["other_texts_A"] + c["other_texts_B"]
            ),
            "other languages: lede": share(c["other_lede"], c["other_ledes"]),
        }


SCRAPED_TARGETS = {
    "title, article container (B)": (">=", 0.95),
    "title, whole page (A)": (">=", 0.85),
    "lede from the article": (">=", 0.95),
    "boilerplate kept, full gold": ("<=", 0.05),
    "boilerplate kept, snippet gold": ("<=", 0.05),
    "gold body lost (count)": ("<=", 0),
}


def scraped(errors: bool) -> list[tuple[str, dict[str, float | None], dict[str, float | None]]]:
    path = EVAL / "scraped" / "dev.jsonl"
    if not path.exists():
        print(f"scraped: skipped, {path} is absent")
        return []
    docs = jsonl(path)
    records = trim_records([(f"{d['id']}_{d['variant']}.txt", d["text"]) for d in docs])
    sides = {"train": Scraped(), "dev": Scraped()}
    for doc, record in zip(docs, records, strict=True):
        side = "dev" if fold(doc["site"]) == DEV_FOLD else "train"
        sides[side].add(record, doc, errors and side == "train")
    for line in sides["train"].errors:
        print(line)
    train, dev = sides["train"], sides["dev"]
    title = (
        f"scraped pages (one file; train = site folds 0-3: {sum(train.c[k] for k in ('texts_A', 'texts_B'))} texts, "
        f"dev = site fold 4: {sum(dev.c[k] for k in ('texts_A', 'texts_B'))} texts)"
    )
    for side, counts in sides.items():
        title += f"\n  by language, {side} (title B/title A/lede, texts): {counts.by_language()}"
    return [(title, train.figures(), dev.figures())]


# -- quotations ----------------------------------------------------------------------------------

_MARKS = "„“”\"«»‚‘’'‹›「」` "


def bare(quote: str) -> str:
    return quote.strip(_MARKS)


def overlap(a: list[str], b: list[str]) -> float:
    """The README's match score: Jaccard of the word multisets, or 1 when the smaller lies 90% inside."""
    ca, cb = Counter(a), Counter(b)
    inter = sum((ca & cb).values())
    if not inter:
        return 0.0
    small = min(len(a), len(b))
    if inter >= 0.9 * small:
        return 1.0
    jaccard = inter / sum((ca | cb).values())
    return jaccard if jaccard >= 0.5 else 0.0


def pairs(found: list[list[str]], gold: list[list[str]]) -> list[tuple[int, int]]:
    """Each gold quote matched once, best overlap first."""
    scored = sorted(
        ((s, i, j) for i, f in enumerate(found) for j, g in enumerate(gold) if (s := overlap(f, g)) > 0),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    used_f: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, i, j in scored:
        if i not in used_f and j not in used_g:
            used_f.add(i)
            used_g.add(j)
            out.append((i, j))
    return out


EN_TITLES = {
    "mr", "mrs", "ms", "dr", "sen", "senator", "rep", "gov", "governor", "president", "secretary", "gen",
    "general", "former", "vice", "judge", "justice", "rev", "speaker", "mayor", "sir", "lady", "lord", "prof",
    "the", "attorney", "chairman", "chief", "director", "candidate", "nominee", "democratic", "republican",
}  # fmt: skip
EN_PRONOUNS = {"he", "she", "they", "i", "we", "it", "you", "him", "her", "them", "who", "his", "their"}


def _en_speaker(found: str | None, gold: dict[str, Any]) -> str:
    """right, wrong or none, by the en README's rule."""
    if not found or set(words(found)) <= EN_PRONOUNS:
        return "none"
    target = set(words(gold["speaker"])) | set(words(gold.get("speaker_name") or ""))
    target |= {w[:-2] for w in target if w.endswith("s")}
    tokens = [t.removesuffix("'s").removesuffix("’s") for t in found.split()]
    tokens = [t.strip(".,;:()\"'“”") for t in tokens]
    tokens = [t for t in tokens if t]
    candidates = [words(tokens[-1])[-1:]] if tokens and words(tokens[-1]) else []
    candidates += [words(t) for t in tokens if t[:1].isupper() and t.lower().rstrip(".") not in EN_TITLES]
    return "right" if any(c and c[-1] in target for c in candidates) else "wrong"


def splits(name: str) -> list[tuple[str, list[dict[str, Any]]]]:
    """The train and dev splits of a set under ../shared/eval, or none (with a message) when absent."""
    paths = [(split, EVAL / name / f"{split}.jsonl") for split in ("train", "dev")]
    missing = [str(path) for _, path in paths if not path.exists()]
    if missing:
        print(f"{name}: skipped, {', '.join(missing)} absent")
        return []
    return [(split, jsonl(path)) for split, path in paths]


def _quotation_table(
    name: str, sides: dict[str, Any]
) -> list[tuple[str, dict[str, float | None], dict[str, float | None]]]:
    if not sides:
        return []
    title = f"{name}; train {sides['train_n']}, dev {sides['dev_n']} direct quotations of 4+ words)"
    return [(title, sides["train"], sides["dev"])]


def english(errors: bool) -> list[tuple[str, dict[str, float | None], dict[str, float | None]]]:
    sides: dict[str, Any] = {}
    for split, docs in splits("en-quotes"):
        records = trim_records([(f"{d['id'][:40]}.txt", f"{d['title']}\n\n{d['text']}") for d in docs])
        c: Counter[str] = Counter()
        for doc, record in zip(docs, records, strict=True):
            gold = [q for q in doc["quotes"] if q["type"] == "Direct"]
            gold_words = [words(bare(q["text"])) for q in gold]
            found = record["quotes"]
            found_words = [words(q["text"]) for q in found]
            matched = pairs(found_words, gold_words)
            hit_f = {i for i, _ in matched}
            for i, j in matched:
                if len(gold_words[j]) < MIN_WORDS:
                    continue
                c["match"] += 1
                g = gold[j]
                if g["speaker"].strip() or g.get("speaker_name"):
                    c["sourced"] += 1
                    verdict = _en_speaker(found[i]["speaker"], g)
                    c[verdict] += 1
                    if errors and split == "train" and verdict == "wrong":
                        print(
                            f"  wrong {doc['id'][:40]}: {found[i]['speaker']!r} ({found[i]['confidence']}) for "
                            f"{g['speaker']!r}/{g.get('speaker_name')!r}: {found[i]['text'][:60]!r}"
                        )
            for i, fw in enumerate(found_words):
                if i not in hit_f and len(fw) >= MIN_WORDS:
                    c["extra"] += 1
                    if errors and split == "train":
                        print(f"  extra {doc['id'][:40]}: {found[i]['text'][:90]!r}")
            c["gold"] += sum(len(g) >= MIN_WORDS for g in gold_words)
            if errors and split == "train":
                hit_g = {j for _, j in matched}
                for j, g in enumerate(gold):
                    if j not in hit_g and len(gold_words[j]) >= MIN_WORDS:
                        print(f"  missed {doc['id'][:40]}: {g['text'][:90]!r}")
        sides[split] = {
            "precision": share(c["match"], c["match"] + c["extra"]),
            "recall": share(c["match"], c["gold"]),
            "speaker right": share(c["right"], c["sourced"]),
            "speaker wrong": share(c["wrong"], c["sourced"]),
            "speaker left out (none or pronoun)": share(c["none"], c["sourced"]),
        }
        sides[split + "_n"] = c["gold"]
    return _quotation_table("en quotations (PolNeAR", sides)


EN_TARGETS = {
    "precision": (">=", 0.95),
    "recall": (">=", 0.95),
    "speaker right": (">=", 0.90),
    "speaker wrong": ("<=", 0.05),
}

# German: the rules of the first version of this bench (a named speaker, a speaker right up to case endings)
DE_REFERRING = set(
    "er sie es ich wir ihr man ihn ihm selbst der die das dem den denen dessen deren dieser diese dieses "
    "diesem diesen jener jene jenem jenen letztere letzterer letzteres letzteren erstere ersterer welche "
    "welcher welches dies darauf darin darunter daraus dazu damit davon daraufhin wonach worin womit "
    "woraufhin".split()
)
DE_POSSESSIVES = set("sein seine seiner seinem seinen seines ihr ihre ihrer ihrem ihren ihres".split())
DE_OPINION = set("meinung ansicht auffassung einschätzung worte worten angaben aussage aussagen".split())
DE_DETERMINERS = {"der", "die", "das", "des", "dem", "den", "ein", "eine", "einer", "eines", "einem", "einen"}
CASE_ENDINGS = ("s", "es", "n", "en", "e", "er", "em")


def de_named(mention: str) -> bool:
    ws = set(words(mention))
    if not ws or ws <= DE_REFERRING:
        return False
    return not (ws & DE_POSSESSIVES and ws <= DE_POSSESSIVES | DE_OPINION | DE_DETERMINERS)


def _same_word(a: str, b: str) -> bool:
    short, long = sorted((a, b), key=len)
    return a == b or (len(short) > 3 and long.startswith(short) and long[len(short) :] in CASE_ENDINGS)


def de_same_speaker(found: str | None, expected: str) -> bool:
    a = [w for w in words(found) if w not in DE_DETERMINERS]
    b = [w for w in words(expected) if w not in DE_DETERMINERS]
    if not a or not b:
        return False
    return all(any(_same_word(x, y) for y in b) for x in a) or all(
        any(_same_word(y, x) for x in a) for y in b
    )


def _de_same_text(a: list[str], b: list[str]) -> bool:
    ja, jb = " ".join(a), " ".join(b)
    if not ja or not jb:
        return False
    if ja in jb or jb in ja:
        return True
    sa, sb = set(a), set(b)
    return len(sa & sb) / min(len(sa), len(sb)) >= 0.6


def german(errors: bool) -> list[tuple[str, dict[str, float | None], dict[str, float | None]]]:
    sides: dict[str, Any] = {}
    for split, docs in splits("de-quotes"):
        files = [
            (
                f"{n}.json",
                json.dumps({"title": d["title"], "paragraphs": _paragraphs(d["text"]), "language": "de"}),
            )
            for n, d in enumerate(docs)
        ]
        records = trim_records(files)
        c: Counter[str] = Counter()
        for doc, record in zip(docs, records, strict=True):
            spans: dict[tuple[int, int], dict[str, Any]] = {}
            for q in doc["quotes"]:
                if q["type"] == "Direct" and len(bare(q["text"]).split()) >= MIN_WORDS:
                    entry = spans.setdefault(tuple(q["quote_span"]), {"text": q["text"], "speakers": []})
                    entry["speakers"].append(q["speaker"].strip())
            gold = list(spans.values())
            found = [q for q in record["quotes"] if len(q["text"].split()) >= MIN_WORDS]
            used: set[int] = set()
            matched = []
            for i, f in enumerate(found):
                for j, g in enumerate(gold):
                    if j not in used and _de_same_text(words(f["text"]), words(g["text"])):
                        matched.append((i, j))
                        used.add(j)
                        break
            c["found"] += len(found)
            c["gold"] += len(gold)
            c["match"] += len(matched)
            for i, j in matched:
                named = [s for s in gold[j]["speakers"] if de_named(s)]
                if named:
                    c["named"] += 1
                    ok = any(de_same_speaker(found[i]["speaker"], s) for s in named)
                    c["right"] += ok
                    c["left_out"] += not found[i]["speaker"]
                    if errors and split == "train" and not ok:
                        print(
                            f"  speaker {doc['id']}: {found[i]['speaker']!r} for {named}: {found[i]['text'][:60]!r}"
                        )
            if errors and split == "train":
                hit_f = {i for i, _ in matched}
                for i, f in enumerate(found):
                    if i not in hit_f:
                        print(f"  extra   {doc['id']}: {f['text'][:90]!r} ({f['speaker']})")
                for j, g in enumerate(gold):
                    if j not in used:
                        print(f"  missed  {doc['id']}: {g['text'][:90]!r}")
        sides[split] = {
            "precision": share(c["match"], c["found"]),
            "recall": share(c["match"], c["gold"]),
            "named speakers right": share(c["right"], c["named"]),
            "named speakers left out": share(c["left_out"], c["named"]),
        }
        sides[split + "_n"] = c["gold"]
    return _quotation_table("de quotations (German Wikinews", sides)


DE_TARGETS = {"precision": (">=", 0.92), "recall": (">=", 0.95), "named speakers right": (">=", 0.85)}


# -- fixtures and the sample ---------------------------------------------------------------------


def fixtures(errors: bool) -> bool:
    cases = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".txt", ".html", ".md"))
    records = trim_records([(p.name, p.read_text(encoding="utf-8")) for p in cases])
    right = total = 0
    ok = True
    for path, record in zip(cases, records, strict=True):
        want = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        for key in ("title", "language", "lede"):
            if record[key] != want[key]:
                ok = False
                if errors:
                    print(f"  {key} {path.relative_to(FIXTURES)}: {record[key]!r}\n    want {want[key]!r}")
        got = [(q["text"], q["speaker"]) for q in record["quotes"]]
        wanted = [(q["text"], q["speaker"]) for q in want["quotes"]]
        total += len(wanted)
        right += sum(w in got for w in wanted)
        if len(got) != len(wanted):
            ok = False
        if errors and got != wanted:
            print(f"  quotes {path.relative_to(FIXTURES)}: {got}\n    want {wanted}")
    sample_ok = True
    if SAMPLE.exists():
        [record] = trim_records([(SAMPLE.name, SAMPLE.read_text(encoding="utf-8"))])
        sample_ok = (
            record["title"]
            == "Blinken à Bruxelles alors que l’Ukraine fait face à l’incertitude avec le retour de Trump"
            and record["language"] == "fr"
            and record["lede"].startswith(
                "Le secrétaire d’État américain Antony Blinken s’est rendu à Bruxelles"
            )
            and [q["speaker"] for q in record["quotes"]] == ["Borrell", "Blinken", "Blinken"]
            and (record["caption"] or "").startswith("United States Secretary of State")
            and not any("commentaire" in p or "vingt =" in p for p in record["paragraphs"])
        )
    print(
        f"fixtures: {len(cases)} articles, titles, languages and ledes {'all right' if ok else 'NOT all right'}; "
        f"quotations with their speaker {right}/{total}; the sample {'right' if sample_ok else 'NOT right'} "
        "(target: all)"
    )
    return ok and right == total and sample_ok


# -- the table -----------------------------------------------------------------------------------


def _fmt(value: float | None, integer: bool) -> str:
    if value is None:
        return "-"
    return f"{int(value)}" if integer else f"{value:.3f}"


def _met(value: float | None, target: tuple[str, float] | None) -> bool:
    if target is None or value is None:
        return True
    op, bound = target
    return value >= bound if op == ">=" else value <= bound


def table(
    title: str,
    train: dict[str, float | None],
    dev: dict[str, float | None],
    targets: dict[str, tuple[str, float]],
) -> bool:
    print(title)
    print(f"  {'figure':38} {'target':>8} {'train':>8} {'dev':>8}")
    ok = True
    for name in train:
        target = targets.get(name)
        integer = "count" in name
        t = f"{target[0]}{target[1]}" if target else ""
        marks = ""
        for side in (train, dev):
            if not _met(side[name], target):
                ok = False
                marks = "  MISSED"
        print(f"  {name:38} {t:>8} {_fmt(train[name], integer):>8} {_fmt(dev[name], integer):>8}{marks}")
    return ok


SETS: dict[str, tuple[Callable[[bool], list[Any]], dict[str, tuple[str, float]]]] = {
    "scraped": (scraped, SCRAPED_TARGETS),
    "en": (english, EN_TARGETS),
    "de": (german, DE_TARGETS),
}


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=(*SETS, "fixtures"))
    parser.add_argument(
        "--errors", action="store_true", help="list what was missed or wrong (train side only)"
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    if not DIGEST.exists():
        print(f"{DIGEST} is not installed: run `make test` or `pip install -e .` first")
        return 2
    results = []
    for name, (measure, targets) in SETS.items():
        if args.only in (None, name):
            for title, train, dev in measure(args.errors):
                results.append(table(title, train, dev, targets))
    if args.only in (None, "fixtures"):
        results.append(fixtures(args.errors))
    print("targets met" if all(results) else "targets NOT met")
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
