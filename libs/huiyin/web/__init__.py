"""What the three services' pages share: rendering, language choice, static files, base layout."""
