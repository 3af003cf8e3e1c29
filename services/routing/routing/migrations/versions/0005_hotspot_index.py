"""hot spots: LSH keys placed in a category and a grid cell, 16 per sighting

Replaces `hotspot_band_keys` (64 keys per sighting, probed across the whole city) with
`hotspot_lsh_keys` (routing.hotspots.lsh_keys). The keys of the sightings still inside the
window are recomputed from their stored fingerprints with the service's code and the
default radius, so detection carries on without a gap; a deployment with another radius
finds its older sightings again once the window has passed (docs/hotspots.md).

Revision ID: 0005
Revises: 0004
"""

from datetime import timedelta

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
CHUNK = 5_000


def _backfill() -> None:
    from routing.hotspots.batch import own_keys
    from routing.hotspots.matching import Sighting
    from routing.hotspots.rules import HotspotRules
    from routing.hotspots.similarity import TextPrint, band_keys

    rules, bind = HotspotRules(), op.get_bind()
    recent = sa.text(
        "SELECT complaint_id, category, lat, lon, at, terms, hashvalues FROM hotspot_sightings"
        " WHERE at >= now() - :window AND complaint_id > CAST(:after AS uuid) ORDER BY complaint_id LIMIT :n"
    )
    insert = sa.text(
        "INSERT INTO hotspot_lsh_keys (key, complaint_id, at) SELECT * FROM unnest("
        "CAST(:keys AS bigint[]), CAST(:ids AS uuid[]), CAST(:ats AS timestamptz[])) ON CONFLICT DO NOTHING"
    )
    after = "00000000-0000-0000-0000-000000000000"
    while rows := bind.execute(recent, {"window": timedelta(days=14), "after": after, "n": CHUNK}).all():
        keys, ids, ats = [], [], []
        for r in rows:
            fp = TextPrint.of(r.terms, r.hashvalues)
            s = Sighting(r.complaint_id, r.category, r.lat, r.lon, r.at, None, fp)
            placed = own_keys(s, band_keys(fp), rules)
            keys += placed
            ids += [r.complaint_id] * len(placed)
            ats += [r.at] * len(placed)
        if keys:
            bind.execute(insert, {"keys": keys, "ids": ids, "ats": ats})
        after = rows[-1].complaint_id


def upgrade() -> None:
    op.create_table(
        "hotspot_lsh_keys",
        sa.Column("key", sa.BigInteger, primary_key=True),
        sa.Column("complaint_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("at", TS, nullable=False),
    )
    op.create_index("ix_hotspot_lsh_keys_at", "hotspot_lsh_keys", ["at"], postgresql_using="brin")
    _backfill()
    op.drop_table("hotspot_band_keys")


def downgrade() -> None:
    # The old keys are not recomputed: after a downgrade, detection finds the sightings
    # filed before it again only through complaints filed after it.
    op.create_table(
        "hotspot_band_keys",
        sa.Column("band_key", sa.BigInteger, primary_key=True),
        sa.Column("complaint_id", UUID(as_uuid=True), primary_key=True),
        sa.Column("category", sa.Text, nullable=False),
        sa.Column("at", TS, nullable=False),
    )
    op.create_index("ix_hotspot_band_keys_probe", "hotspot_band_keys", ["band_key", "category", "at"])
    op.create_index("ix_hotspot_band_keys_at", "hotspot_band_keys", ["at"])
    op.drop_table("hotspot_lsh_keys")
