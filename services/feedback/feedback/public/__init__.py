"""Station figures open to the public: frozen monthly snapshots with versions, their hash in
the audit chain, a public API and page, open data with a dictionary (docs/public-figures.md)."""
