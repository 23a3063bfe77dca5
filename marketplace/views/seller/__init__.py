"""The seller dashboard under /seller/: views split by what they hold. Every shop page goes
through `common.seller_view`, which signs in, checks membership (404 for anyone else) and
passes the membership on."""
