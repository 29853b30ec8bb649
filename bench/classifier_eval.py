import tomllib, collections, time, sys
from inspector.catalog.loader import load_catalog, DEFAULT_ROOT
from inspector.catalog.classifier import Classifier, load_synonyms
cat,_ = load_catalog(strict=False)
c = Classifier(cat.default, load_synonyms(DEFAULT_ROOT/"classifier"/"synonyms.toml"))
cases = tomllib.load(open("tests/data/classifier_cases.toml","rb"))["case"]
ok=0; conf=collections.Counter(); negallowed=0; itemok=0; items=0
t0=time.perf_counter()
for case in cases:
    r = c.classify(case["text"])
    if r.kind==case["kind"]: ok+=1
    else:
        conf[(case["kind"], r.kind)]+=1
        if "-v" in sys.argv: print(case["kind"], "->", r.kind, case["text"], [(m.item,m.score,m.matched) for m in r.matches[:2]])
    if case["kind"]=="negative" and r.kind in ("autonomy","assistance","unlisted","certificate_allowed"): negallowed+=1
    if case.get("item"):
        items+=1; itemok += bool(r.matches) and r.matches[0].item==case["item"]
dt=(time.perf_counter()-t0)/len(cases)*1000
print(f"kind acc {ok}/{len(cases)} = {ok/len(cases):.1%}; item top1 {itemok}/{items}; negative->allowed {negallowed}; {dt:.2f} ms/task")
print(conf.most_common())
