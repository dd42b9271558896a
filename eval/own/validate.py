# Validates the held-out sets (run from anywhere: `python3 eval/own/validate.py`).
# Checks TOML parses, ids 1..N, no aliases/keywords/synonyms, reading urls, JSON case lines,
# expect/also ids exist, and prints counts per kind.
import tomllib, json, collections, sys
ok = True
import os; os.chdir(os.path.dirname(os.path.abspath(__file__)))
for name in ["gym", "game", "clinic", "photoapp", "festival", "langapp", "dental", "cowork", "oss", "hotel", "transit", "grocer", "bikeshare", "vet", "isp", "carhire", "creditunion", "waste", "driving", "cinema", "payroll"]:
    kb = tomllib.load(open(f"{name}/faq/faq.toml", "rb"))
    faqs, reads = kb["faq"], kb.get("reading", [])
    ids = [f["id"] for f in faqs]
    assert ids == list(range(1, len(ids) + 1)), (name, ids)
    assert 22 <= len(faqs) <= 25 and 5 <= len(reads) <= 8
    assert len({r["id"] for r in reads}) == len(reads)
    for f in faqs:
        assert set(f) == {"id", "question", "answer"}, f.keys()
        assert len(f["question"]) <= 256 and len(f["answer"]) <= 4096
        n = f["answer"].count(". ") + 1
        if not 3 <= n <= 7: print("sentences?", name, f["id"], n)
    for r in reads:
        assert set(r) == {"id", "title", "url"} and r["url"].startswith("https://example.org/")
    kinds = collections.Counter(); per = collections.Counter()
    for i, line in enumerate(open(f"{name}/cases.jsonl"), 1):
        c = json.loads(line)
        assert set(c) == {"query", "expect", "also", "kind"}, (name, i)
        e = c["expect"]
        assert e is None or e in ids, (name, i, e)
        assert all(a in ids and a != e for a in c["also"]), (name, i)
        if c["kind"] in ("oos", "trap"): assert e is None and not c["also"], (name, i)
        else: assert e is not None, (name, i); per[e] += 1
        kinds[c["kind"]] += 1
    print(f"{name}: {len(faqs)} FAQs, {len(reads)} readings, {sum(kinds.values())} cases,",
          " ".join(f"{k} {kinds[k]}" for k in ["verbatim","para","detail","keyword","typo","slang","oos","trap"]),
          "| per-FAQ in-scope min/max", min(per.values()), max(per.values()), "| FAQs uncovered", set(ids) - set(per))
