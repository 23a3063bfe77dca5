"""The relevance set, query by query: precision at 5, recall at 5 and reciprocal rank of every
query in tests/search/relevance_set.json over the demo catalogue, and their means.

    .venv/bin/python bench/relevance.py                      # embedded SQLite, a fresh var dir
    .venv/bin/python bench/relevance.py --database-url postgres://postgres@127.0.0.1:5432/rel
    .venv/bin/python bench/relevance.py --misses             # also what took the top-5 places
    .venv/bin/python bench/relevance.py --write --database-url postgres://...   # both databases,
                                              # into docs/benchmarks.md's "Search relevance"

It migrates the database, runs `seed_demo` (default seed; idempotent), indexes every public
product into the database backend and runs each query through search.backends.search, as
tests/search/test_relevance.py does (that test holds the mean). The database is the one named,
or an SQLite file in --var-dir: never the site's own.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import machine  # noqa: E402
import sections  # noqa: E402

SET = ROOT / "tests" / "search" / "relevance_set.json"
DEFAULT_VAR_DIR = "/tmp/pasar-relevance"


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def prepare(env: dict[str, str]) -> None:
    for args in (["migrate", "--no-input", "-v", "0"], ["seed_demo"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            check=False,
        )
        if done.returncode:
            raise SystemExit(f"manage.py {' '.join(args)} failed with status {done.returncode}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score the search relevance set.")
    parser.add_argument("--database-url", help="a PostgreSQL database (default: SQLite)")
    parser.add_argument("--var-dir", default=DEFAULT_VAR_DIR, help="PASAR_VAR_DIR of the run")
    parser.add_argument("--misses", action="store_true", help="list what took top-5 places")
    parser.add_argument("--no-prepare", action="store_true", help="skip migrate and seed_demo")
    parser.add_argument("--json", help="also write the scores to this file")
    parser.add_argument(
        "--write",
        action="store_true",
        help="score on SQLite and on --database-url (PostgreSQL), and write the section "
        "'Search relevance' of --output",
    )
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args(argv)
    if args.write:
        return write(args)

    env = os.environ.copy()
    env.pop("ELASTICSEARCH_URL", None)
    env.pop("DATABASE_URL", None)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    env.update(
        PASAR_VAR_DIR=args.var_dir,
        DJANGO_SETTINGS_MODULE="config.settings",
        CELERY_BROKER_URL="filesystem://",
        LOG_LEVEL="WARNING",
    )
    Path(args.var_dir).mkdir(parents=True, exist_ok=True)
    if not args.no_prepare:
        say("migrate and seed_demo…")
        prepare(env)
    os.environ.clear()
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.db import connection

    from marketplace.selectors.search_feed import public_product_ids
    from search import backends, relevance, synonyms
    from search.documents import documents_for

    synonyms.forget()
    started = time.perf_counter()
    written = backends.database_backend().index(documents_for(public_product_ids()))
    say(f"Indexed {written} products in {time.perf_counter() - started:.1f} s.")
    scores = relevance.run(relevance.load(SET), backends.search)
    summary = relevance.summarise(scores)

    print(f"Relevance set on {connection.vendor} ({summary.queries} scored queries)\n")
    print("| query | lang | group | relevant | P@5 | R@5 | RR | found |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for s in scores:
        if not s.case.relevant:
            continue
        print(
            f"| {s.case.query} | {s.case.language} | {s.case.group} | {len(s.case.relevant)} "
            f"| {s.precision:.2f} | {s.recall:.2f} | {s.reciprocal_rank:.2f} | {s.count} |"
        )
        if args.misses and s.misses:
            print(f"|  | | | | | | | not relevant in top 5: {', '.join(s.misses)} |")
    print()
    print(
        f"Mean precision@5 {summary.precision:.3f}, recall@5 {summary.recall:.3f}, "
        f"MRR {summary.mrr:.3f}"
    )
    print("By group: " + ", ".join(f"{g} {p:.3f}" for g, p in summary.by_group.items()))
    for s in summary.unscored:
        print(f"Unscored {s.case.query!r} (nothing relevant exists): {s.count} results")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "vendor": connection.vendor,
                    "precision": summary.precision,
                    "recall": summary.recall,
                    "mrr": summary.mrr,
                    "queries": summary.queries,
                    "by_group": summary.by_group,
                    "scores": [
                        {
                            "query": s.case.query,
                            "language": s.case.language,
                            "group": s.case.group,
                            "relevant": len(s.case.relevant),
                            "precision": s.precision if s.case.relevant else None,
                            "count": s.count,
                            "misses": s.misses,
                        }
                        for s in scores
                    ],
                }
            )
        )
    return 0


def write(args) -> int:
    """Both databases, each in its own process (Django is set up once per process)."""
    if not args.database_url:
        raise SystemExit("--write needs --database-url (a PostgreSQL database of its own)")
    figures = {}
    for vendor, extra in (
        ("sqlite", ["--var-dir", f"{args.var_dir}-sqlite"]),
        ("postgresql", ["--var-dir", args.var_dir, "--database-url", args.database_url]),
    ):
        out = Path(f"{args.var_dir}-{vendor}.json")
        command = [sys.executable, __file__, "--json", str(out), *extra]
        if subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, check=False).returncode:
            raise SystemExit(f"scoring on {vendor} failed")
        figures[vendor] = json.loads(out.read_text())
    sections.write_section(args.output, "search-relevance", render(figures))
    say(f"Wrote the section 'Search relevance' of {args.output}.")
    return 0


def render(figures: dict) -> str:
    about = machine.describe(ROOT)
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    sq, pg = figures["sqlite"], figures["postgresql"]
    lines = [
        "## Search relevance",
        "",
        f"Written by `bench/relevance.py --write` on {when}, "
        f"code at {about['commit']}. The set: `tests/search/relevance_set.json`, {pg['queries']} "
        "scored queries (Indonesian, English, typos, place names, local words, synonyms) over "
        "the demo catalogue (`seed_demo`, default seed), each with the products a person would "
        "want in the top 5, judged by hand. Precision at 5 = relevant in the top 5 ÷ min(5, "
        "how many are relevant). `tests/search/test_relevance.py` holds each database at its "
        "own level (PostgreSQL's text search and SQLite's FTS5 rank differently).",
        "",
        "| database backend on | mean precision@5 | recall@5 | MRR |",
        "| --- | ---: | ---: | ---: |",
        f"| PostgreSQL | {pg['precision']:.3f} | {pg['recall']:.3f} | {pg['mrr']:.3f} |",
        f"| SQLite (embedded default) | {sq['precision']:.3f} | {sq['recall']:.3f} "
        f"| {sq['mrr']:.3f} |",
        "",
        "| group | PostgreSQL P@5 | SQLite P@5 |",
        "| --- | ---: | ---: |",
    ]
    for group in pg["by_group"]:
        lines.append(
            f"| {group} | {pg['by_group'][group]:.3f} | {sq['by_group'].get(group, 0):.3f} |"
        )
    weak = [
        (p, s)
        for p, s in zip(pg["scores"], sq["scores"], strict=True)
        if p["precision"] is not None and min(p["precision"], s["precision"]) < 1
    ]
    lines += [
        "",
        "Queries below 1.0 on either database (what took their top-5 places is printed by "
        "`bench/relevance.py --misses`):",
        "",
        "| query | lang | relevant | PostgreSQL P@5 (found) | SQLite P@5 (found) |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for p, s in weak:
        lines.append(
            f"| {p['query']} | {p['language']} | {p['relevant']} | {p['precision']:.2f} "
            f"({p['count']}) | {s['precision']:.2f} ({s['count']}) |"
        )
    for p, s in zip(pg["scores"], sq["scores"], strict=True):
        if p["precision"] is None:
            lines.append(
                f"\nUnscored: *{p['query']}* (nothing relevant exists in the demo catalogue): "
                f"{p['count']} results on PostgreSQL, {s['count']} on SQLite."
            )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
