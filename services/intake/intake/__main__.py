"""`python -m intake`: serve the intake API (and its background loops)."""

from huiyin.serve import serve
from intake.settings import IntakeSettings


def main() -> None:
    settings = IntakeSettings()
    serve(
        "intake.entrypoints.app:create_app",
        host=settings.http_host,
        port=settings.http_port,
        workers=settings.workers,
    )


if __name__ == "__main__":
    main()
