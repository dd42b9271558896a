#!/usr/bin/env python3
"""Build faqbot's general English lexicon (data/lexicon/*.tsv).

How to run (from the repository root):

    apt-get install -y wordnet-base && pip install wordfreq==3.1.1 && python3 scripts/build_lexicon.py

Inputs:
  * WordNet 3.0 dict files as shipped by Debian's `wordnet-base` package
    (built with 1:3.0-37), read directly from /usr/share/wordnet
    (override with WORDNET_DIR=...): data.{noun,verb,adj,adv}, index.*, *.exc.
  * wordfreq 3.1.1 (PyPI), English 'best' (= large) word list.

Outputs (under data/lexicon/, all sorted and deterministic):
  * frequency.tsv   word<TAB>zipf, most frequent first
  * related.tsv     word<TAB>other:weight,other:weight,...
  * inflections.tsv irregular_form<TAB>base
  * pos.tsv         word<TAB>n|v|a|r: the word's dominant part of speech in WordNet
                    (most SemCor tags; without tags, most senses); words WordNet
                    does not know (names, brands, slang) are absent
  * compounds.tsv   first second: two-word nouns of WordNet ("post office"), sorted
  * spellings.tsv   variant<TAB>preferred: two spellings of one word ("licence",
                    "license"; "colour", "color"), lemmas of one WordNet synset that
                    a British/American spelling rule turns into each other, both
                    at zipf >= LEX_MIN_ZIPF; the preferred one is the commoner in
                    wordfreq
chat.tsv, chat-sources.md, README.md and LICENSE-* are hand-written and are not
touched by this script.

Python 3.11, stdlib + wordfreq only.  Takes well under a minute on one core.
"""

import importlib.metadata
import os
import re
import sys

import wordfreq

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "data", "lexicon")
WN = os.environ.get("WORDNET_DIR", "/usr/share/wordnet")

# ---------------------------------------------------------------- parameters
# frequency.tsv: every a-z/0-9 token with zipf >= FREQ_MIN_ZIPF (about 90k
# words; the 50,000th word is at zipf ~2.5), capped at FREQ_MAX_WORDS.
FREQ_MIN_ZIPF = 2.0
FREQ_MAX_WORDS = 100_000
# related.tsv / inflections.tsv only use words at or above this zipf.
LEX_MIN_ZIPF = 2.0
# Weight of a word's k-th sense (per part of speech); later senses ignored.
SENSE_WEIGHTS = (1.0, 0.7, 0.5)
W_SYNONYM = 1.0        # other lemma of the same synset
W_DERIV = 0.9          # derivationally related form ('+'), lexical pointer
W_ADJ_SIMILAR = 0.6    # adjective 'similar to' ('&')
W_ALSO_SEE = 0.5       # adjective / verb 'also see' ('^')
W_HYPERNYM = 0.4       # direct hypernym ('@') of sense 1 only (noun/verb)
HYPERNYM_MIN_ZIPF = 3.0  # hypernyms must be fairly common words
HYPERNYM_MIN_DEPTH = 6  # noun hypernyms near the top (act, communication) are too vague
# A related lemma is scaled by how often *it* means the shared synset:
# 0-based sense rank of that synset for the other lemma -> factor.
OTHER_RANK_WEIGHTS = (1.0, 0.9, 0.8, 0.7, 0.7, 0.6, 0.6, 0.6, 0.5, 0.5, 0.4)
# Part-of-speech factor from SemCor tag counts (cntlist.rev): the word's most
# tagged part of speech gets 1.0, others POS_FLOOR + (1-POS_FLOOR)*sqrt(share).
POS_FLOOR = 0.6
# A compound noun lemma ("legal_holiday", "school_assignment") is a kind of its last
# word: that head word stands for a hypernym at this factor. A compound synonym's head
# ("Christmas_Day" -> day) is a broader word, weighed like a hypernym (W_HYPERNYM).
# Other links never go through a compound's head.
W_COMPOUND_HEAD = 0.6
# A compound with one of these inside is a phrase whose last word is not its head
# ("holy_day_of_obligation", "king_of_beasts", "capital_of_Poland").
COMPOUND_INNER_STOP = {"of", "in", "on", "the", "and", "for", "to", "by", "with", "a",
                       "an", "at", "from", "or"}
# Particles end compounds ("write_up", "way_out") without being their head.
PARTICLES = {"up", "down", "away", "back", "out", "off", "on", "in", "over", "about",
             "around", "through", "along", "by"}
MIN_WEIGHT = 0.2
# compounds.tsv: both words ordinary English words WordNet knows, and the phrase itself
# not rare (wordfreq estimates a phrase from its words).
COMPOUND_MIN_WORD_ZIPF = 3.0
COMPOUND_MAX_HEAD_ZIPF = 5.8
COMPOUND_MIN_ZIPF = 3.0
MAX_RELATED = 12

WORD_RE = re.compile(r"^[a-z0-9]+$")
SMASHED_NUMBER_RE = re.compile(r"[0-9]{2}")  # wordfreq writes 2019 as 0000
LEMMA_RE = re.compile(r"^[a-z]+$")
POS_FILES = (("n", "noun"), ("v", "verb"), ("a", "adj"), ("r", "adv"))


# ----------------------------------------------------------------- frequency
def build_frequency():
    rows = []
    for w in wordfreq.iter_wordlist("en", wordlist="best"):
        if not WORD_RE.match(w) or SMASHED_NUMBER_RE.search(w):
            continue
        raw = wordfreq.zipf_frequency(w, "en")
        if raw < FREQ_MIN_ZIPF:
            break  # the list is in descending frequency order
        rows.append((w, round(raw, 1)))
        if len(rows) >= FREQ_MAX_WORDS:
            break
    return rows


# ------------------------------------------------------------------- wordnet
def clean_lemma(raw):
    # data.adj marks syntactic position: "outback(a)", "ready_to_hand(p)"
    return re.sub(r"\([a-z]+\)$", "", raw)


def read_data(pos_name):
    """offset -> (ss_type, [lemmas], [(sym, offset, pos, src, tgt)])."""
    synsets = {}
    with open(os.path.join(WN, "data." + pos_name), encoding="latin-1") as fh:
        for line in fh:
            if line.startswith("  "):
                continue  # licence header
            f = line.split(" | ", 1)[0].split()
            off, ss_type = f[0], f[2]
            n = int(f[3], 16)
            lemmas = [clean_lemma(f[4 + 2 * i]) for i in range(n)]
            i = 4 + 2 * n
            p_cnt = int(f[i])
            i += 1
            ptrs = []
            for _ in range(p_cnt):
                sym, toff, tpos, st = f[i], f[i + 1], f[i + 2], f[i + 3]
                i += 4
                ptrs.append((sym, toff, "a" if tpos == "s" else tpos,
                             int(st[:2], 16), int(st[2:], 16)))
            synsets[off] = (ss_type, lemmas, ptrs)
    return synsets


def read_index(pos_name):
    """lemma -> [synset offsets], in WordNet's sense (frequency) order."""
    idx = {}
    with open(os.path.join(WN, "index." + pos_name), encoding="latin-1") as fh:
        for line in fh:
            if line.startswith("  "):
                continue
            f = line.split()
            lemma = f[0]
            p_cnt = int(f[3])
            offs = f[4 + p_cnt + 2:]
            idx[lemma] = offs
    return idx


def read_tag_counts():
    """(lemma, pos, sense_number) -> SemCor tag count, from cntlist.rev."""
    pos_of = {"1": "n", "2": "v", "3": "a", "4": "r", "5": "a"}
    counts = {}
    path = os.path.join(WN, "cntlist.rev")
    if not os.path.exists(path):
        return counts
    with open(path, encoding="latin-1") as fh:
        for line in fh:
            key, sense_no, cnt = line.split()
            lemma, lex = key.split("%", 1)
            k = (lemma, pos_of[lex[0]], int(sense_no))
            counts[k] = counts.get(k, 0) + int(cnt)
    return counts


def other_factor(rank):
    """How reliably a lemma means a synset that is its `rank`-th sense (0-based)."""
    return OTHER_RANK_WEIGHTS[min(rank, len(OTHER_RANK_WEIGHTS) - 1)]


def noun_depths(nouns):
    """Shortest hypernym-path length from each noun synset to a root."""
    parents = {off: [t for sym, t, _, _, _ in ptrs if sym in ("@", "@i")]
               for off, (_, _, ptrs) in nouns.items()}
    depth = {}

    def d(off):
        if off in depth:
            return depth[off]
        depth[off] = 0  # guards against cycles
        ps = parents[off]
        depth[off] = 0 if not ps else 1 + min(d(p) for p in ps)
        return depth[off]

    sys.setrecursionlimit(10000)
    for off in nouns:
        d(off)
    return depth


def build_related(zipf_of):
    data = {p: read_data(name) for p, name in POS_FILES}
    index = {p: read_index(name) for p, name in POS_FILES}
    counts = read_tag_counts()
    depth = noun_depths(data["n"])
    # (pos, lemma, offset) -> 0-based sense rank of that synset for that lemma
    rank_of = {}
    for pos, idx in index.items():
        for lemma, offs in idx.items():
            for r, off in enumerate(offs):
                rank_of[(pos, lemma, off)] = r

    def ok(lemma, min_z=LEX_MIN_ZIPF):
        return LEMMA_RE.match(lemma) and zipf_of.get(lemma, 0.0) >= min_z

    def head_of(compound):
        """The head noun of a multi-word noun lemma, or None when it has none."""
        parts = compound.lower().split("_")
        if any(p in COMPOUND_INNER_STOP for p in parts[:-1]):
            return None
        head = parts[-1]
        if head in PARTICLES or head not in index["n"]:
            return None
        return head

    rel = {}
    for word, z in zipf_of.items():
        if z < LEX_MIN_ZIPF or not LEMMA_RE.match(word):
            continue
        best = {}

        def add(other, tpos, toff, w, head_factor=None):
            if other.isupper():
                return  # an abbreviation ("ME", "OR", "PM"), not the word it spells
            other = other.lower()  # "Christmas", "Xmas"
            w *= other_factor(rank_of.get((tpos, other, toff), 99))
            if "_" in other:
                head = head_of(other) if tpos == "n" and head_factor else None
                if head is None:
                    return
                other, w = head, w * head_factor
            if other == word or not ok(other):
                return
            if w > best.get(other, 0.0):
                best[other] = w

        # part-of-speech factor from SemCor tag counts
        pos_total = {p: sum(counts.get((word, p, i + 1), 0)
                            for i in range(len(index[p].get(word, []))))
                     for p, _ in POS_FILES}
        top = max(pos_total.values())

        for pos, _ in POS_FILES:
            senses = index[pos].get(word, [])
            if not senses:
                continue
            pf = 1.0 if top == 0 else POS_FLOOR + (1 - POS_FLOOR) * (pos_total[pos] / top) ** 0.5
            for rank, off in enumerate(senses[:len(SENSE_WEIGHTS)]):
                sw = SENSE_WEIGHTS[rank] * pf
                _, lemmas, ptrs = data[pos][off]
                # word number of `word` in this synset (1-based)
                try:
                    wnum = [l.lower() for l in lemmas].index(word) + 1
                except ValueError:
                    wnum = None
                if wnum is not None and lemmas[wnum - 1].isupper():
                    continue  # the word only as an abbreviation here ("ME" for Maine)
                for l in lemmas:
                    add(l, pos, off, W_SYNONYM * sw, W_HYPERNYM)
                for sym, toff, tpos, src, tgt in ptrs:
                    tlemmas = data[tpos][toff][1]
                    if sym == "+":
                        if wnum is not None and src == wnum:
                            add(tlemmas[tgt - 1], tpos, toff, W_DERIV * sw)
                    elif sym == "&" and pos == "a":
                        for tl in tlemmas:
                            add(tl, tpos, toff, W_ADJ_SIMILAR * sw)
                    elif sym == "^" and pos in ("a", "v"):
                        if src == 0:
                            tls = tlemmas
                        elif src == wnum:
                            tls = [tlemmas[tgt - 1]]
                        else:
                            continue
                        for tl in tls:
                            add(tl, tpos, toff, W_ALSO_SEE * sw)
                    elif sym == "@" and rank == 0 and (
                            pos == "v" or (pos == "n" and depth[toff] >= HYPERNYM_MIN_DEPTH)):
                        for tl in tlemmas:
                            head = head_of(tl) if "_" in tl else tl.lower()
                            if head and ok(head, HYPERNYM_MIN_ZIPF):
                                add(tl, tpos, toff, W_HYPERNYM * sw, W_COMPOUND_HEAD)
        items = [(o, round(w, 2)) for o, w in best.items() if round(w, 2) >= MIN_WEIGHT]
        if items:
            items.sort(key=lambda kv: (-kv[1], -zipf_of[kv[0]], kv[0]))
            rel[word] = items[:MAX_RELATED]
    return rel


def build_inflections(zipf_of):
    """Irregular form -> base. A form that SemCor tags more often as a word of its own
    than its base in that part of speech (all the base's forms together) is mostly that
    word, not the inflection: "offer" is not "off", "feed" not "fee", "bit" (a little)
    not "bite", "ground" not "grind". Such a form is left out with all its bases: it is
    read as itself, or as the stemmer reduces it ("wedding" -> wed)."""
    counts = read_tag_counts()
    if not counts:
        sys.exit("cntlist.rev (SemCor tag counts) is missing from " + WN
                 + ": the inflection list would keep forms that are words of their own")
    tags_of_base = {}
    tags_of_word = {}
    for (lemma, pos, _), n in counts.items():
        tags_of_base[(lemma, pos)] = tags_of_base.get((lemma, pos), 0) + n
        tags_of_word[lemma] = tags_of_word.get(lemma, 0) + n
    pairs = set()
    own_word = set()
    for pos, name in POS_FILES:
        with open(os.path.join(WN, name + ".exc"), encoding="latin-1") as fh:
            for line in fh:
                f = line.split()
                form, bases = f[0], f[1:]
                if not LEMMA_RE.match(form) or zipf_of.get(form, 0) < LEX_MIN_ZIPF:
                    continue
                for b in bases:
                    if tags_of_word.get(form, 0) > tags_of_base.get((b, pos), 0):
                        own_word.add(form)
                    if b != form and LEMMA_RE.match(b) and zipf_of.get(b, 0) >= LEX_MIN_ZIPF:
                        pairs.add((form, b))
    return sorted(p for p in pairs if p[0] not in own_word)


def build_pos(zipf_of):
    """word -> dominant part of speech, for words in the frequency list."""
    counts = read_tag_counts()
    senses = {}
    for pos, name in POS_FILES:
        for lemma, offs in read_index(name).items():
            if lemma in zipf_of:
                senses.setdefault(lemma, {})[pos] = len(offs)
    out = {}
    order = {"n": 0, "v": 1, "a": 2, "r": 3}
    for lemma, by_pos in senses.items():
        tagged = {pos: 0 for pos in by_pos}
        for pos, n in by_pos.items():
            for k in range(1, n + 1):
                tagged[pos] += counts.get((lemma, pos, k), 0)
        best = max(by_pos, key=lambda pos: (tagged[pos], by_pos[pos], -order[pos]))
        out[lemma] = best
    return sorted(out.items())


def build_compounds(zipf_of, pos_of):
    """Two-word noun lemmas of WordNet made of two ordinary words: "post office"."""
    out = set()
    for lemma in read_index("noun"):
        parts = lemma.split("_")
        if len(parts) != 2 or not all(re.fullmatch("[a-z]{2,}", p) for p in parts):
            continue
        if parts[0] in COMPOUND_INNER_STOP or parts[1] in COMPOUND_INNER_STOP | PARTICLES:
            continue  # "in law", "time out": not two nouns
        if not all(zipf_of.get(p, 0) >= COMPOUND_MIN_WORD_ZIPF and p in pos_of for p in parts):
            continue
        if zipf_of[parts[1]] >= COMPOUND_MAX_HEAD_ZIPF:
            continue  # a head as vague as "time", "people", "day": "long time", "free time"
        if wordfreq.zipf_frequency(" ".join(parts), "en") < COMPOUND_MIN_ZIPF:
            continue
        out.add(" ".join(parts))
    return sorted(out)


# British and American spellings of one word: (pattern, replacement) turning one
# spelling into the other, tried at every place a pattern matches. A pair must also
# be lemmas of one synset, which keeps out words that merely look alike.
SPELLING_RULES = [
    (r"our", "or"),                                   # colour, behaviour
    (r"is(e|ed|es|ing|ation|ations|er|ers|able)$", r"iz\1"),  # organise, realisation
    (r"ys(e|ed|es|ing|er|ers)$", r"yz\1"),           # analyse
    (r"([bcdfghklmnpstv])re(s|d)?$", r"\1er\2"),    # centre, metre
    (r"ence(s)?$", r"ense\1"),                       # licence, defence
    (r"ogue(s)?$", r"og\1"),                         # catalogue, dialogue
    (r"ll", "l"),                                     # travelling, enrol(l)
    (r"mme(s)?$", r"m\1"),                           # programme
    (r"ae", "e"),                                     # anaemia, encyclopaedia
    (r"oe", "e"),                                     # oestrogen, diarrhoea
    (r"ement(s)?$", r"ment\1"),                      # judgement
    (r"eing$", "ing"),                                # ageing
    (r"ey$", "ay"),                                   # grey
    (r"ium$", "um"),                                  # aluminium
    (r"ou", "o"),                                     # mould
]


def respellings(word):
    out = set()
    for pattern, replacement in SPELLING_RULES:
        for m in re.finditer(pattern, word):
            out.add(word[:m.start()] + m.expand(replacement) + word[m.end():])
    out.discard(word)
    return out


def build_spellings(zipf_of):
    """variant -> preferred spelling, for words both spelled ways in one synset."""
    pairs = set()
    for _, name in POS_FILES:
        for _, lemmas, _ in read_data(name).values():
            words = {l.lower() for l in lemmas if LEMMA_RE.match(l.lower())}
            for a in words:
                for b in respellings(a) & words:
                    if min(zipf_of.get(a, 0), zipf_of.get(b, 0)) >= LEX_MIN_ZIPF:
                        pairs.add(tuple(sorted((a, b))))
    out = {}
    for a, b in sorted(pairs):
        preferred, variant = sorted((a, b), key=lambda w: (-zipf_of[w], w))
        assert out.get(variant, preferred) == preferred, (variant, out[variant], preferred)
        out[variant] = preferred
    # The matcher looks a spelling up once: no preferred spelling is itself a variant.
    assert not set(out.values()) & set(out), set(out.values()) & set(out)
    return sorted(out.items())


# -------------------------------------------------------------------- output
def write(name, lines):
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for line in lines:
            fh.write(line + "\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    freq = build_frequency()
    write("frequency.tsv", (f"{w}\t{z:.1f}" for w, z in freq))
    zipf_of = dict(freq)

    rel = build_related(zipf_of)
    write("related.tsv",
          (w + "\t" + ",".join(f"{o}:{x:.2f}" for o, x in rel[w]) for w in sorted(rel)))

    infl = build_inflections(zipf_of)
    write("inflections.tsv", (f"{a}\t{b}" for a, b in infl))

    pos = build_pos(zipf_of)
    write("pos.tsv", (f"{w}\t{p}" for w, p in pos))

    write("compounds.tsv", build_compounds(zipf_of, dict(pos)))

    write("spellings.tsv", (f"{v}\t{p}" for v, p in build_spellings(zipf_of)))

    total = 0
    print("wordfreq", importlib.metadata.version("wordfreq"), "| WordNet dir", WN)
    for name in sorted(os.listdir(OUT)):
        path = os.path.join(OUT, name)
        size = os.path.getsize(path)
        with open(path, encoding="utf-8") as fh:
            n = sum(1 for _ in fh)
        total += size
        print(f"{name:20s} {size:>10,d} bytes {n:>8,d} lines")
    print(f"{'total':20s} {total:>10,d} bytes")


if __name__ == "__main__":
    sys.exit(main())
