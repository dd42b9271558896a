#!/usr/bin/env python3
"""What a static sentence-embedding table would add to faqbot's matcher: a measurement.

faqbot ships no embedding model (issue 8: "the core stays string similarity"). This
script measures what one would buy, for whoever decides whether it should: WordLlama's
`l2_supercat` table (PyPI `wordllama` 0.4.0.post1; the package is MIT-licensed, its
weights are trained from the token embeddings of LLaMA 2 70B and other models, 32,000
tokens x 256 dimensions, 16 MB in float16; an embedding is a token lookup and a mean,
no neural network at run time). Nothing here is used by the product or its tests.

How to run (from the repository root, with `../shared` beside it):

    cargo build --release --locked
    pip install wordllama==0.4.0.post1
    python3 scripts/probe_embeddings.py [target/release/faqbot] [--dim 256|128|64] [--weight 2]

For every labelled set (the shared `kb-course` and `kb-shop`, `eval/dev.jsonl` on the
shipped FAQs, every `eval/own/*` set), faqbot ranks each question (`ask --explain`: the
candidates it shows, in its order) and WordLlama compares the question with each FAQ,
its question and answer embedded as one text (cosine). It prints how often the labelled
FAQ (or one its `also` accepts) is first and among the first three, over in-scope
questions, for: faqbot (the candidates it shows, nothing after them), the embedding
alone, and faqbot's score plus `weight` x cosine over every FAQ (an FAQ faqbot does not
show scores 0 there). Groups: all sets; the sets whose misses were never read; the two
shared sets; the "para" kind of the sets; and the paraphrase files of `eval/own/*`
(fresh phrasings, counted apart and not in "all").

Ranking only. What the bot would answer also depends on its decision rule, which this
does not change; and out-of-scope questions and traps, where an embedding is the most
likely to lead to a wrong answer, are not measured.
"""

import argparse
import json
import pathlib
import re
import subprocess
import sys
import tomllib

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
# Held-out sets whose misses were never read while the matcher was built (README's
# figures table; `transit` had one question read, so it is not among them).
CLEAN = {
    "carhire", "cinema", "creditunion", "dental", "driving", "hotel", "langapp", "payroll", "vet",
    "waste",
}


def labelled_sets():
    yield "kb-course", SHARED / "kb-course/cases.jsonl", SHARED / "kb-course/faq"
    yield "kb-shop", SHARED / "kb-shop/cases.jsonl", SHARED / "kb-shop/faq"
    yield "dev", ROOT / "eval/dev.jsonl", ROOT / "faq"
    for d in sorted((ROOT / "eval/own").iterdir()):
        if d.is_dir():
            yield d.name, d / "cases.jsonl", d / "faq"
            if (d / "paraphrases.jsonl").exists():
                yield f"{d.name} paraphrases", d / "paraphrases.jsonl", d / "faq"


def load_faqs(folder):
    faqs = {}
    for f in sorted(folder.glob("*.toml")):
        for faq in tomllib.loads(f.read_text()).get("faq", []):
            faqs[faq["id"]] = faq
    return faqs


def faqbot_scores(binary, folder, questions):
    """Per question, the candidates `ask --explain` shows: [(faq id, score)] in its order."""
    out = subprocess.run(
        [binary, "ask", "--faq-dir", str(folder), "--explain", "-"],
        input="\n".join(q.replace("\n", " ") for q in questions) + "\n",
        capture_output=True, text=True, check=True,
    ).stdout
    blocks = out.split("How the question was read")[1:]
    assert len(blocks) == len(questions), (folder, len(blocks), len(questions))
    pattern = re.compile(r"^\s+(\d+)\. ([0-9.]+)\s+coverage", re.M)
    return [[(int(i), float(s)) for i, s in pattern.findall(b)] for b in blocks]


def unit(v):
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-9)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary", nargs="?", default=str(ROOT / "target/release/faqbot"))
    ap.add_argument("--dim", type=int, default=256)
    ap.add_argument("--weight", type=float, default=2.0)
    args = ap.parse_args()
    import wordllama
    from wordllama import WordLlama

    # The wheel holds its weights and tokenizer; loading from its own folder needs no
    # download.
    model = WordLlama.load(
        cache_dir=pathlib.Path(wordllama.__file__).parent,
        disable_download=True,
        trunc_dim=args.dim,
    )
    rankers = ("faqbot", "embedding", f"faqbot + {args.weight:g} x cosine")
    groups = ("all", "clean", "shared", "para", "paraphrase files")
    counts = {(r, g): [0, 0, 0] for r in rankers for g in groups}
    for name, cases_path, folder in labelled_sets():
        cases = [json.loads(l) for l in cases_path.read_text().splitlines() if l.strip()]
        faqs = load_faqs(folder)
        ids = sorted(faqs)
        docs = unit(model.embed([faqs[i]["question"] + " " + faqs[i]["answer"] for i in ids]))
        questions = [c["query"] for c in cases]
        sims = unit(model.embed(questions)) @ docs.T
        ranked = faqbot_scores(args.binary, folder, questions)
        for case, sim, shown in zip(cases, sims, ranked):
            if case.get("expect") is None:
                continue
            right = {case["expect"], *case.get("also", [])}
            scores = dict(shown)
            lexical = np.array([scores.get(i, 0.0) for i in ids])
            combined = lexical + args.weight * sim
            firsts = {
                rankers[0]: [i for i, _ in shown[:3]],
                rankers[1]: [ids[j] for j in np.argsort(-sim, kind="stable")[:3]],
                rankers[2]: [ids[j] for j in np.argsort(-combined, kind="stable")[:3]],
            }
            if name.endswith("paraphrases"):
                member = ["paraphrase files"]
            else:
                member = [
                    "all",
                    *(["clean"] if name in CLEAN else []),
                    *(["shared"] if name.startswith("kb-") else []),
                    *(["para"] if case.get("kind") == "para" else []),
                ]
            for ranker, order in firsts.items():
                for g in member:
                    c = counts[(ranker, g)]
                    c[0] += bool(order) and order[0] in right
                    c[1] += any(i in right for i in order)
                    c[2] += 1
    print(f"WordLlama l2_supercat, {args.dim} dimensions; labelled FAQ first (first three)")
    print(f"{'':24}" + "".join(f"{g:>18}" for g in groups))
    for r in rankers:
        cells = "".join(
            f"{f'{c[0]}/{c[2]} ({c[1]})':>18}" for c in (counts[(r, g)] for g in groups)
        )
        print(f"{r:24}{cells}")


if __name__ == "__main__":
    sys.exit(main())
