"""The station's pages: sign-in, the inbox, one complaint with its actions."""
