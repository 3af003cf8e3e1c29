"""The access contract of every route of every service, written by hand from issue #7's
roles (docs/security.md). `test_security_role_matrix.py` checks the code against it: a new
route fails there until it declares its rule AND gets an entry here."""

from __future__ import annotations

from huiyin.auth.tokens import Role

OFF, HEAD, DIST, SUP, DISP, ADM = (
    Role.OFFICER,
    Role.STATION_HEAD,
    Role.DISTRICT_SUPERVISOR,
    Role.SUPERVISION,
    Role.DISPATCH,
    Role.ADMIN,
)
PUBLIC, CITIZEN = "public", "citizen"
# Public to the access rule, but the route itself refuses (403) a call without a valid
# Open311 api_key (GeoReport v2): a staff token is no substitute for it.
API_KEY = "api_key"
ALL_STAFF = frozenset(Role)
READERS = frozenset({OFF, HEAD, DIST, SUP, DISP})  # complaints are read by every role but admin
UNIT_WORKERS = frozenset({OFF, HEAD, SUP})  # a supervision unit works complaints routed to it
Rule = str | frozenset[Role]

PAGES: dict[tuple[str, str], Rule] = {
    # Server-rendered pages and their assets carry no data: the data comes from the API.
    ("GET", "/"): PUBLIC,
    ("GET", "/web/static/{name}"): PUBLIC,
    ("GET", "/web/vendor/{name}"): PUBLIC,
}
# Operations: probes, Prometheus (a scraper has no JWT; no personal data; kept on the
# internal network, docs/operations.md) and the event contract.
OPERATIONS: dict[tuple[str, str], Rule] = {
    ("GET", "/health"): PUBLIC,
    ("GET", "/ready"): PUBLIC,
    ("GET", "/metrics"): PUBLIC,
    ("GET", "/asyncapi.json"): PUBLIC,
}

EXPECTED: dict[str, dict[tuple[str, str], Rule]] = {
    "intake": {
        **OPERATIONS,
        **PAGES,
        ("GET", "/track"): PUBLIC,
        ("GET", "/api/v1/categories"): PUBLIC,
        ("POST", "/api/v1/complaints"): PUBLIC,
        ("GET", "/api/v1/complaints/{tracking_code}"): CITIZEN,
        ("POST", "/api/v1/complaints/{tracking_code}/withdraw"): CITIZEN,
        ("POST", "/api/v1/complaints/{tracking_code}/information"): CITIZEN,
        # Contact data: the handling unit's staff (and dispatch for its triage queue) and
        # supervision; never district supervisors or admins.
        ("GET", "/api/v1/complaints/{complaint_id}/contact"): frozenset({OFF, HEAD, DISP, SUP}),
        ("POST", "/api/v1/complaints/{complaint_id}/contact/unmask"): frozenset({OFF, HEAD, DISP, SUP}),
        ("GET", "/api/v1/complaints/{complaint_id}/contact/access-log"): frozenset({SUP}),
        ("GET", "/open311/v2/services.{fmt}"): PUBLIC,
        ("GET", "/open311/v2/services/{service_code}.{fmt}"): PUBLIC,
        ("POST", "/open311/v2/requests.{fmt}"): API_KEY,
        ("GET", "/open311/v2/requests.{fmt}"): PUBLIC,
        ("GET", "/open311/v2/requests/{service_request_id}.{fmt}"): PUBLIC,
        ("GET", "/open311/v2/tokens/{token}.{fmt}"): PUBLIC,
    },
    "routing": {
        **OPERATIONS,
        **PAGES,
        ("GET", "/station"): PUBLIC,
        ("GET", "/station/complaints/{complaint_id}"): PUBLIC,
        ("GET", "/web/jurisdictions.geojson"): PUBLIC,
        ("POST", "/api/v1/auth/token"): PUBLIC,
        ("GET", "/api/v1/auth/me"): ALL_STAFF,
        ("GET", "/api/v1/users"): frozenset({ADM}),
        ("POST", "/api/v1/users"): frozenset({ADM}),
        ("PATCH", "/api/v1/users/{user_id}"): frozenset({ADM}),
        ("GET", "/api/v1/categories"): PUBLIC,
        ("GET", "/api/v1/units"): ALL_STAFF,
        ("GET", "/api/v1/units.geojson"): ALL_STAFF,
        ("GET", "/api/v1/units/{unit_id}"): ALL_STAFF,
        ("POST", "/api/v1/units/import"): frozenset({ADM}),
        ("POST", "/api/v1/units"): frozenset({ADM}),
        ("PATCH", "/api/v1/units/{unit_id}"): frozenset({ADM}),
        ("POST", "/api/v1/units/{unit_id}/retire"): frozenset({ADM}),
        ("GET", "/api/v1/stations/{unit_id}/inbox"): READERS,
        ("GET", "/api/v1/assignments/{complaint_id}"): READERS,
        ("POST", "/api/v1/assignments/{complaint_id}/acknowledge"): UNIT_WORKERS,
        ("POST", "/api/v1/assignments/{complaint_id}/assign"): frozenset({HEAD, SUP}),
        ("POST", "/api/v1/assignments/{complaint_id}/note"): UNIT_WORKERS,
        ("POST", "/api/v1/assignments/{complaint_id}/request-information"): UNIT_WORKERS,
        ("POST", "/api/v1/assignments/{complaint_id}/resolve"): UNIT_WORKERS,
        ("POST", "/api/v1/assignments/{complaint_id}/return"): UNIT_WORKERS,
        ("POST", "/api/v1/assignments/{complaint_id}/transfer"): UNIT_WORKERS,
        ("GET", "/api/v1/triage"): frozenset({DISP, SUP}),
        ("POST", "/api/v1/triage/{complaint_id}/route"): frozenset({DISP}),
        ("GET", "/api/v1/admin/sla/policies"): frozenset({ADM, SUP}),
        ("PUT", "/api/v1/admin/sla/policies/{category}/{priority}"): frozenset({ADM}),
        ("GET", "/api/v1/admin/calendar"): frozenset({ADM, SUP}),
        ("GET", "/api/v1/admin/calendar/{year}"): frozenset({ADM, SUP}),
        ("PUT", "/api/v1/admin/calendar/{year}"): frozenset({ADM}),
        ("POST", "/api/v1/complaints/{complaint_id}/escalate"): frozenset({SUP, ADM}),
        ("GET", "/api/v1/units/{unit_id}/escalations"): ALL_STAFF,
        ("GET", "/api/v1/complaints/{complaint_id}/sla"): ALL_STAFF,
        # Hot spots (scoped by the handler like the inbox; adoption is supervision's).
        ("GET", "/station/hotspots"): PUBLIC,
        ("GET", "/station/hotspots/{hotspot_id}"): PUBLIC,
        ("GET", "/api/v1/hotspots"): frozenset({OFF, HEAD, DIST, SUP, ADM}),
        ("GET", "/api/v1/hotspots/{hotspot_id}"): frozenset({OFF, HEAD, DIST, SUP, ADM}),
        ("POST", "/api/v1/hotspots/{hotspot_id}/adopt"): frozenset({SUP}),
        ("POST", "/api/v1/hotspots/{hotspot_id}/notes"): frozenset({OFF, HEAD, DIST, SUP}),
        ("POST", "/api/v1/hotspots/{hotspot_id}/solve"): frozenset({HEAD, SUP}),
    },
    "feedback": {
        **OPERATIONS,
        **PAGES,
        ("GET", "/dashboard"): PUBLIC,
        ("GET", "/dashboard/audit"): PUBLIC,
        ("GET", "/api/v1/complaints/{tracking_code}/feedback"): CITIZEN,
        ("POST", "/api/v1/complaints/{tracking_code}/feedback"): CITIZEN,
        # Figures are scoped by the handler (a station sees its own, a district its units).
        ("GET", "/api/v1/metrics/units"): ALL_STAFF,
        ("GET", "/api/v1/metrics/units/{unit_id}"): ALL_STAFF,
        ("GET", "/api/v1/rankings"): ALL_STAFF,
        ("GET", "/api/v1/overdue"): ALL_STAFF,
        ("GET", "/api/v1/exports/metrics"): ALL_STAFF,
        ("GET", "/api/v1/exports/rankings"): ALL_STAFF,
        ("GET", "/api/v1/audit/complaints/{complaint_id}"): frozenset({SUP, ADM, DIST, HEAD}),
        ("GET", "/api/v1/audit/verify"): frozenset({SUP, ADM}),
        # Public figures (issue #13): frozen snapshots anyone may read; corrections by supervision.
        ("GET", "/public"): PUBLIC,
        ("GET", "/public/units/{unit_id}"): PUBLIC,
        ("GET", "/api/v1/public/months"): PUBLIC,
        ("GET", "/api/v1/public/figures"): PUBLIC,
        ("GET", "/api/v1/public/units/{unit_id}"): PUBLIC,
        ("GET", "/api/v1/public/open-data/{month}.csv"): PUBLIC,
        ("GET", "/api/v1/public/open-data/{month}.json"): PUBLIC,
        ("GET", "/api/v1/public/data-dictionary"): PUBLIC,
        ("POST", "/api/v1/public/months/{month}/versions"): frozenset({SUP, ADM}),
    },
}
