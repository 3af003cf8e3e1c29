"""The supervision dashboard's pages (HTML shells over the supervision JSON API)."""
