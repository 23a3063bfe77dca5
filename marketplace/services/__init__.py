"""State changes of the marketplace. Views, forms, API and tasks call these; nothing else
writes to the marketplace's models."""
