#!/usr/bin/env python3
"""Split the 2020 UNSC Debates corpus by meeting and pick the speeches to code.

Run once, before any codebook change, on an export of the imported corpus:
  stancetrack import unsc-debates --db /tmp/c.db ../shared/corpus/unsc-debates-2020
  stancetrack export statements --db /tmp/c.db --format jsonl -o /tmp/c.jsonl
  python3 gold/real/select.py /tmp/c.jsonl gold/real

Writes split.json (meeting -> dev|test) and selection.jsonl (meeting, seq,
why). The split is by meeting number (a meeting and its resumptions stay
together), seeded, 2/3 development and 1/3 test. The selection follows issue
9: every speech the codebook (as it stood) tags for purview; every speech
with a sentence that names the Council together with another organ or forum
or with a word of limit or objection; and a seeded random sample of the rest.
Coders see only the speeches' text and CODEBOOK.md, never this file's reasons.
"""
import json, random, re, sys

SEED = 20261202
council = re.compile(r"\b(?:(?:the|this|our) (?:Security )?Council|Security Council|UNSC|this (?:body|Chamber|organ)|the 15-member|Council members)\b")
other = re.compile(r"\b(?:General Assembly|Economic and Social Council|ECOSOC|Human Rights Council|Peacebuilding Commission|UNFCCC|Framework Convention|COP ?\d*|Conference of the Parties|World Health (?:Organization|Assembly)|WHO|working group|Working Group|Conference on Disarmament|treaty bod(?:y|ies)|International Court of Justice|Secretariat|regional organizations?)\b")
limit = re.compile(r"\b(?:only|outside|beyond|purview|remit|competence|prerogatives?|encroach\w*|duplicat\w*|overlap\w*|overreach\w*|politici[sz]\w*|selectiv\w*|forum|exception\w*|distract\w*|interfer\w*|sovereign\w*|limit\w*|restrict\w*|not the place|not the right|not appropriate|inappropriate|should not|must not|cannot|rather than|instead of|oppose\w*|reject\w*|object(?:s|ed|ing|ions?)?|misuse\w*|abuse\w*|new agenda|agenda item)\b", re.I)
sent_end = re.compile(r"(?<=[.!?;])\s+")

def main(src, out):
    rows = [json.loads(l) for l in open(src, encoding="utf-8")]
    numbers = sorted({r["meeting_number"] for r in rows})
    rnd = random.Random(SEED)
    shuffled = numbers[:]
    rnd.shuffle(shuffled)
    # Whole meetings go to test, in shuffled order, until test holds a third
    # of the speeches: meetings differ in size (8699 and its resumptions
    # hold 214), so a third of the meetings would be too few speeches.
    size = {}
    for r in rows:
        size[r["meeting_number"]] = size.get(r["meeting_number"], 0) + 1
    split, held = {}, 0
    for n in shuffled:
        if held < len(rows) / 3:
            split[n], held = "test", held + size[n]
        else:
            split[n] = "dev"
    with open(f"{out}/split.json", "w") as f:
        json.dump({str(n): split[n] for n in numbers}, f, indent=0, sort_keys=True)
        f.write("\n")
    picked, rest = [], []
    for r in rows:
        why = []
        if r["purview"] != "unstated":
            why.append("codebook_purview")
        for s in sent_end.split(r["text"]):
            if council.search(s) and (other.search(s) or limit.search(s)):
                why.append("council_sentence")
                break
        (picked if why else rest).append((r, why))
    rnd2 = random.Random(SEED + 1)
    sample = rnd2.sample(rest, 160)
    for r, _ in sample:
        picked.append((r, ["random"]))
    picked.sort(key=lambda p: (p[0]["meeting"], p[0]["seq"]))
    with open(f"{out}/selection.jsonl", "w") as f:
        for r, why in picked:
            f.write(json.dumps({"meeting": r["meeting"], "seq": r["seq"], "split": split[r["meeting_number"]], "why": why}) + "\n")
    by = {}
    for r, why in picked:
        by[split[r["meeting_number"]]] = by.get(split[r["meeting_number"]], 0) + 1
    print(len(picked), "selected;", by, "; rest", len(rest))

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
