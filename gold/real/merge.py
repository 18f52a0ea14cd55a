#!/usr/bin/env python3
"""Merge the blind coders' files into gold/real/{dev,test}.jsonl and
second-coder.jsonl, with the instrument ids the coders made up for the same
instrument brought to one id (SYNONYMS). Run from the repository root:
  python3 gold/real/merge.py CODER_OUT_DIR
"""
import glob, json, os, sys

# Ids two coders spelled differently for one instrument.
SYNONYMS = {
    "CWC": "CHEMICAL_WEAPONS_CONVENTION",
    "GULF_INITIATIVE": "GCC_INITIATIVE",
    "POA_SALW": "SALW_POA",
    "GENEVA_COMMUNIQUE_2012": "GENEVA_COMMUNIQUE",
    "COLOMBIA_PEACE_AGREEMENT": "COLOMBIA_FINAL_AGREEMENT",
    "CAR_PEACE_AGREEMENT": "APPR_CAR",
    "CAR_PEACE_AGREEMENT_2019": "APPR_CAR",
    "CAR_POLITICAL_AGREEMENT": "APPR_CAR",
    "AU_AGENDA_2063": "AGENDA_2063",
    "GCTS": "UN_GCTS",
    "ITI": "INTERNATIONAL_TRACING_INSTRUMENT",
    "PARIS_PRINCIPLES_CAAF": "PARIS_PRINCIPLES",
    "SOCHI_MEMORANDUM": "SOCHI_AGREEMENT",
    "SKHIRAT_AGREEMENT": "LIBYAN_POLITICAL_AGREEMENT",
    "ALGIERS_AGREEMENT": "MALI_PEACE_AGREEMENT",  # "the Algiers Agreement on Peace and Reconciliation in Mali"
}

def norm(g):
    ins = []
    for i in g["instruments"]:
        i = SYNONYMS.get(i, i)
        if i not in ins:
            ins.append(i)
    g["instruments"] = ins
    g["frames"] = sorted(set(g["frames"]))
    return g

def main(src):
    split = json.load(open("gold/real/split.json"))
    num = lambda m: m.split(".")[1].split(" ")[0]
    out = {"dev": [], "test": []}
    for f in sorted(glob.glob(os.path.join(src, "batch*.jsonl"))):
        for line in open(f, encoding="utf-8"):
            g = norm(json.loads(line))
            out[split[num(g["meeting"])]].append(g)
    for name, rows in out.items():
        rows.sort(key=lambda g: (g["meeting"], g["seq"]))
        with open(f"gold/real/{name}.jsonl", "w", encoding="utf-8") as w:
            for g in rows:
                w.write(json.dumps(g, ensure_ascii=False) + "\n")
        print(name, len(rows))
    with open("gold/real/second-coder.jsonl", "w", encoding="utf-8") as w:
        for line in open(os.path.join(src, "second.jsonl"), encoding="utf-8"):
            w.write(json.dumps(norm(json.loads(line)), ensure_ascii=False) + "\n")

if __name__ == "__main__":
    main(sys.argv[1])
