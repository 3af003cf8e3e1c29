"""`python -m feedback`: serve the feedback API (and its background loops)."""

from feedback.settings import FeedbackSettings
from huiyin.serve import serve


def main() -> None:
    settings = FeedbackSettings()
    serve(
        "feedback.entrypoints.app:create_app",
        host=settings.http_host,
        port=settings.http_port,
        workers=settings.workers,
    )


if __name__ == "__main__":
    main()
