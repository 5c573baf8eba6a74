"""Reference values for spanmark's agreement module (src/model/agreement/).

Not run by `cargo test`: this script documents where the expected numbers in
tests/fixtures/agreement/expected.tsv come from, and regenerates that file:

    python3 -m venv /tmp/venv-agree
    /tmp/venv-agree/bin/pip install -r tests/requirements-agreement.txt
    /tmp/venv-agree/bin/python tests/agreement_reference.py > tests/fixtures/agreement/expected.tsv

It shares nothing with the Rust code but the fixture files. It builds explicit per-character
vectors (the Rust side never does) and asks established packages for the coefficients:

- Cohen's kappa: sklearn.metrics.cohen_kappa_score
- Krippendorff's alpha (nominal): krippendorff.alpha
- Fleiss' kappa: statsmodels.stats.inter_rater.fleiss_kappa
- overlap F1: a maximum matching from scipy.optimize.linear_sum_assignment on the 0/1 overlap
  matrix (strict F1 is a multiset intersection with collections.Counter)

A value that a package leaves undefined (NaN, or an error such as krippendorff's "There has
to be more than one value in the domain") is written as "nan"; the Rust side calls it None.

Hand check of tiny.tsv (10 chars; a: Claim [0,6), b: Claim [2,8)):
    a per char: 1 1 1 1 1 1 0 0 0 0
    b per char: 0 0 1 1 1 1 1 1 0 0
    p_o = 6/10 = 0.6 (chars 2-5 both 1, chars 8-9 both 0)
    p_e = (6/10)(6/10) + (4/10)(4/10) = 0.36 + 0.16 = 0.52
    kappa = (0.6 - 0.52) / (1 - 0.52) = 0.08 / 0.48 = 1/6 = 0.16666...
    alpha: 20 values, n_1 = 12, n_0 = 8; 4 disagreeing chars give 8 off-diagonal
    coincidences, D_o = 8/20 = 0.4; D_e = (20^2 - 12^2 - 8^2) / (20 * 19) = 192/380;
    alpha = 1 - 0.4 * 380/192 = 40/192 = 0.208333...
"""

import itertools
import pathlib
import sys
import warnings
from collections import Counter

import krippendorff
import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters, fleiss_kappa

FIXTURES = pathlib.Path(__file__).parent / "fixtures" / "agreement"

# The packages warn on every undefined case; the undefined cases are deliberate here.
warnings.filterwarnings("ignore")


def parse(path):
    """labels, annotators, docs: [(len, [(annotator, start, end, label)])]."""
    labels, annotators, docs = [], [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if fields[0] == "labels":
            labels = fields[1:]
        elif fields[0] == "annotators":
            annotators = fields[1:]
        elif fields[0] == "doc":
            docs.append((int(fields[1]), []))
        else:
            who, start, end, label = fields
            docs[-1][1].append((who, int(start), int(end), label))
    return labels, annotators, docs


def char_vectors(labels, annotators, docs):
    """Per annotator: {label: [0/1 per char]} and [category code per char], whole corpus."""
    binary = {who: {label: [] for label in labels} for who in annotators}
    sets = {who: [] for who in annotators}
    for length, spans in docs:
        for who in annotators:
            cover = {label: [0] * length for label in labels}
            for w, start, end, label in spans:
                if w == who and label in cover:
                    for i in range(start, end):
                        cover[label][i] = 1
            for label in labels:
                binary[who][label].extend(cover[label])
            for i in range(length):
                covering = [label for label in labels if cover[label][i]]
                sets[who].append("+".join(sorted(covering)) or "none")
    codes = {name: code for code, name in enumerate(sorted({c for v in sets.values() for c in v}))}
    overall = {who: [codes[c] for c in sets[who]] for who in annotators}
    return binary, overall, len(codes)


def cohen(x, y):
    if len(x) == 0:
        return float("nan")
    return float(cohen_kappa_score(x, y))


def alpha(vectors, domain):
    if len(domain) < 2 or len(vectors[0]) == 0:
        return float("nan")  # krippendorff.alpha refuses these (ValueError)
    return float(
        krippendorff.alpha(
            reliability_data=np.array(vectors), level_of_measurement="nominal", value_domain=domain
        )
    )


def fleiss(vectors):
    if len(vectors[0]) == 0:
        return float("nan")
    table, _ = aggregate_raters(np.array(vectors).T)
    return float(fleiss_kappa(table, method="fleiss"))


def span_matches(docs, x, y, label):
    """(|A|, |B|, strict matches, overlap matches) of one label between annotators x and y."""
    size_a = size_b = strict = overlap = 0
    for _, spans in docs:
        a = [(s, e) for w, s, e, lab in spans if w == x and lab == label]
        b = [(s, e) for w, s, e, lab in spans if w == y and lab == label]
        size_a += len(a)
        size_b += len(b)
        strict += sum((Counter(a) & Counter(b)).values())
        if a and b:
            m = np.array([[1 if s1 < e2 and s2 < e1 else 0 for s2, e2 in b] for s1, e1 in a])
            rows, cols = linear_sum_assignment(m, maximize=True)
            overlap += int(m[rows, cols].sum())
    return size_a, size_b, strict, overlap


def f1(matches, sizes):
    return 2 * matches / sizes if sizes else float("nan")


def main():
    out = sys.stdout
    out.write("fixture\tfirst\tsecond\tlabel\tmeasure\tvalue\n")
    for path in sorted(FIXTURES.glob("*.tsv")):
        if path.name == "expected.tsv":
            continue
        name = path.stem
        labels, annotators, docs = parse(path)
        binary, overall, n_codes = char_vectors(labels, annotators, docs)

        def row(first, second, label, measure, value):
            out.write(f"{name}\t{first}\t{second}\t{label}\t{measure}\t{value!r}\n")

        for x, y in itertools.combinations(annotators, 2):
            totals = [0, 0, 0, 0]
            for label in labels:
                counts = span_matches(docs, x, y, label)
                totals = [t + c for t, c in zip(totals, counts)]
                sizes = counts[0] + counts[1]
                row(x, y, label, "strict_f1", f1(counts[2], sizes))
                row(x, y, label, "overlap_f1", f1(counts[3], sizes))
                row(x, y, label, "kappa", cohen(binary[x][label], binary[y][label]))
                row(x, y, label, "alpha", alpha([binary[x][label], binary[y][label]], [0, 1]))
            sizes = totals[0] + totals[1]
            row(x, y, "overall", "strict_f1", f1(totals[2], sizes))
            row(x, y, "overall", "overlap_f1", f1(totals[3], sizes))
            row(x, y, "overall", "kappa", cohen(overall[x], overall[y]))
            row(x, y, "overall", "alpha", alpha([overall[x], overall[y]], list(range(n_codes))))

        for label in labels:
            vectors = [binary[who][label] for who in annotators]
            row("*", "*", label, "fleiss_kappa", fleiss(vectors))
            row("*", "*", label, "alpha", alpha(vectors, [0, 1]))
        vectors = [overall[who] for who in annotators]
        row("*", "*", "overall", "fleiss_kappa", fleiss(vectors))
        row("*", "*", "overall", "alpha", alpha(vectors, list(range(n_codes))))


if __name__ == "__main__":
    main()
