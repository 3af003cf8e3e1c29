"""The citizen's pages: filing a complaint and tracking it (HTML shells over intake's API)."""
