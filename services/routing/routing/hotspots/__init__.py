"""Hot spots: which complaints are about the same matter (pure domain; docs/hotspots.md)."""
