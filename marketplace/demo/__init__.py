"""Demo data for Kabupaten Toba, made by `manage.py seed_demo`. Idempotent: running it again
changes nothing that is already there."""
