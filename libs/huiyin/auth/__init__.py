"""Staff sign-in tokens (JWT), roles, and the access rule every route declares."""
