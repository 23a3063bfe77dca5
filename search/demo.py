"""Search's step of `seed_demo` (settings.DEMO_SEED_STEPS): demo products are made in bulk and
publish no events, so every public one is marked here and indexed by `search.index_marked`
once the seed commits (a worker takes it: `make run` starts one). Products that
`seed_demo --products N` makes after this step are caught by the sweep (search.index_sweep)
or by `manage.py search_reindex`."""

from marketplace.selectors.search_feed import public_product_ids
from search.indexing import index_soon, products_mark


def seed_search_index() -> None:
    if products_mark(public_product_ids()):
        index_soon()
