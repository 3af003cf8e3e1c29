"""FastAPI pieces every service uses: error format, security headers, health and readiness."""
