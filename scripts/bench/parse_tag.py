#!/usr/bin/env python3
"""The reference for `stancetrack ingest`'s speed (issue 13): a plain Python
regex script that parses press releases into speaker turns and tags them with
the codebook's cue patterns, translated to Python regexes. It stores nothing;
it prints how many turns and tags it found.

    python3 scripts/bench/parse_tag.py codebook/default.yaml DIR
"""
import os
import re
import sys

import yaml


def load(path):
    with open(path, encoding="utf-8") as f:
        cb = yaml.safe_load(f)
    classes = {k: v.get("phrases", []) for k, v in (cb.get("classes") or {}).items()}
    cache = {}

    def cls(name, depth=0):
        if name not in cache:
            cache[name] = "(?:" + "|".join(translate(p, depth + 1) for p in classes.get(name, [])) + ")"
        return cache[name]

    def translate(pat, depth=0):
        # words, (a|b), [a], ...N, {class}, word*, !word -> one regex
        out = []
        for tok in re.findall(r"\.\.\.\d*|\{\w+\}|!?\([^()]*\)|!?\[[^\[\]]*\]|!?[\w'’-]+\*?", pat):
            if tok.startswith("..."):
                n = int(tok[3:] or 6)
                out.append(r"[^.;]{0,%d}?" % (8 * n))
                continue
            if tok.startswith("{"):
                out.append(cls(tok[1:-1], depth) if depth < 1 else r"\w+")
                continue
            neg = tok.startswith("!")
            if neg:
                tok = tok[1:]
            opt = tok.startswith("[")
            if tok[0] in "([":
                alts = [a.strip() for a in tok[1:-1].split("|")]
                body = "(?:" + "|".join(r"\W+".join(re.escape(w) for w in a.split()) for a in alts) + ")"
            else:
                body = re.escape(tok.rstrip("*")) + (r"\w*" if tok.endswith("*") else "")
            if neg:
                out.append(r"(?!\W+" + body + r"\b)")
            elif opt:
                out.append(r"(?:\W+" + body + ")?")
            else:
                out.append(r"\W+" + body)
        rx = "".join(out)
        return rx[3:] if rx.startswith(r"\W+") else rx

    rules = []
    for dim in ("purview", "frames"):
        for r in cb.get(dim) or []:
            pats = [translate(p) for p in r.get("patterns", [])]
            if pats:
                rules.append((dim, r.get("id") or r.get("value"), re.compile(r"\b(?:" + "|".join(pats) + r")\b", re.I)))
    for ins in cb.get("instruments") or []:
        pats = [translate(p) for p in ins.get("aliases", [])]
        if pats:
            rules.append(("instrument", ins["id"], re.compile(r"\b(?:" + "|".join(pats) + r")\b", re.I)))
    return rules


SPEAKER = re.compile(r"^([A-Z][A-Z .'’-]{2,}[A-Z])(?: \(([^)]*)\))?,")
SENTENCE = re.compile(r"(?<=[.;!?])\s+")


def parse(text):
    turns, cur = [], None
    for para in re.split(r"\n\s*\n", text):
        para = " ".join(para.split())
        m = SPEAKER.match(para)
        if m:
            cur = [m.group(1), para]
            turns.append(cur)
        elif cur is not None:
            cur[1] += "\n\n" + para
    return turns


def main():
    rules = load(sys.argv[1])
    nturns = ntags = nbytes = 0
    for root, _, files in os.walk(sys.argv[2]):
        for name in sorted(files):
            with open(os.path.join(root, name), encoding="utf-8", errors="replace") as f:
                text = f.read()
            nbytes += len(text.encode("utf-8"))
            for speaker, body in parse(text):
                nturns += 1
                sentences = SENTENCE.split(body)
                for dim, value, rx in rules:
                    for s in sentences:
                        if rx.search(s):
                            ntags += 1
                            break
    print(f"{nbytes} bytes, {nturns} turns, {ntags} tags")


if __name__ == "__main__":
    main()
