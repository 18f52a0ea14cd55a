#!/usr/bin/env python3
"""Krippendorff's alpha between the two blind coders on the speeches both
coded (gold/real/second-coder.jsonl against the primary coders' lines in
dev.jsonl and test.jsonl). Nominal alpha for purview (four values) and for
objection vs not; frames and instruments as one binary (present/absent)
decision per statement and label, pooled over the labels either coder used.
  python3 gold/real/agreement.py
"""
import json
from collections import Counter

def alpha_nominal(pairs):
    """Krippendorff's alpha, nominal, two coders, no missing values."""
    o = Counter()
    for a, b in pairs:
        o[(a, b)] += 1
        o[(b, a)] += 1
    n_c = Counter()
    for (a, _), v in o.items():
        n_c[a] += v
    n = sum(n_c.values())
    do = sum(v for (a, b), v in o.items() if a != b) / n
    de = sum(n_c[a] * n_c[b] for a in n_c for b in n_c if a != b) / (n * (n - 1))
    return 1.0 if de == 0 else 1 - do / de

def main():
    first = {}
    for f in ("gold/real/dev.jsonl", "gold/real/test.jsonl"):
        for line in open(f, encoding="utf-8"):
            g = json.loads(line)
            first[(g["meeting"], g["seq"])] = g
    second = [json.loads(l) for l in open("gold/real/second-coder.jsonl", encoding="utf-8")]
    both = [(first[(g["meeting"], g["seq"])], g) for g in second]
    out = {"statements": len(both)}
    out["purview"] = alpha_nominal([(a["purview"], b["purview"]) for a, b in both])
    obj = lambda v: v in ("contests", "conditional")
    out["objection"] = alpha_nominal([(obj(a["purview"]), obj(b["purview"])) for a, b in both])
    out["purview_agreement"] = sum(a["purview"] == b["purview"] for a, b in both) / len(both)
    for dim in ("frames", "instruments"):
        labels = sorted({x for a, b in both for x in a[dim] + b[dim]})
        pairs = [(x in a[dim], x in b[dim]) for a, b in both for x in labels]
        out[dim] = alpha_nominal(pairs)
        if dim == "frames":
            for x in labels:
                out["frame " + x] = alpha_nominal([(x in a[dim], x in b[dim]) for a, b in both])
    conf = Counter((a["purview"], b["purview"]) for a, b in both)
    for k, v in out.items():
        print(f"{k}\t{v:.3f}" if isinstance(v, float) else f"{k}\t{v}")
    print("confusion (first coder, second coder):", dict(conf))

if __name__ == "__main__":
    main()
