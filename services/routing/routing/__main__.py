"""`python -m routing`: serve the routing API (and its background loops)."""

from huiyin.serve import serve
from routing.settings import RoutingSettings


def main() -> None:
    settings = RoutingSettings()
    serve(
        "routing.entrypoints.app:create_app",
        host=settings.http_host,
        port=settings.http_port,
        workers=settings.workers,
    )


if __name__ == "__main__":
    main()
