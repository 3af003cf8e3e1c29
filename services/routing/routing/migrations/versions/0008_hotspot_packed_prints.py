"""hot spots: fingerprints stored packed

A sighting's 128 MinHash values (unsigned 32-bit) were a bigint[]: about 1.5 kB per row
on the wire, and a Python int per value when a candidate was read (up to 48 candidates per
new complaint). They are now one bytea of 512 bytes, 4 bytes per value in network byte
order (routing.hotspots.similarity.TextPrint.packed), read into a numpy array in one step.
Existing rows are converted in place.

Revision ID: 0008
Revises: 0007
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# A SQL function, because ALTER COLUMN ... USING takes no subquery. Each value's low 4 bytes
# of int8send (big-endian), in array order.
_PACK = """
CREATE FUNCTION pg_temp.huiyin_pack_u32(v bigint[]) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(string_agg(substring(int8send(x) FROM 5 FOR 4), ''::bytea ORDER BY n), ''::bytea)
  FROM unnest(v) WITH ORDINALITY AS u(x, n)
$$
"""
_UNPACK = """
CREATE FUNCTION pg_temp.huiyin_unpack_u32(b bytea) RETURNS bigint[] LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(array_agg(
           (get_byte(b, i)::bigint << 24) | (get_byte(b, i + 1) << 16) | (get_byte(b, i + 2) << 8) | get_byte(b, i + 3)
           ORDER BY i), '{}')
  FROM generate_series(0, length(b) - 4, 4) AS i
$$
"""


def upgrade() -> None:
    op.execute(_PACK)
    op.execute(
        "ALTER TABLE hotspot_sightings ALTER COLUMN hashvalues TYPE bytea"
        " USING pg_temp.huiyin_pack_u32(hashvalues)"
    )
    op.execute(
        "ALTER TABLE hotspot_sightings ADD CONSTRAINT hotspot_sightings_hashvalues_check"
        " CHECK (octet_length(hashvalues) = 512)"
    )
    op.execute("DROP FUNCTION pg_temp.huiyin_pack_u32(bigint[])")


def downgrade() -> None:
    op.execute(_UNPACK)
    op.execute("ALTER TABLE hotspot_sightings DROP CONSTRAINT hotspot_sightings_hashvalues_check")
    op.execute(
        "ALTER TABLE hotspot_sightings ALTER COLUMN hashvalues TYPE bigint[]"
        " USING pg_temp.huiyin_unpack_u32(hashvalues)"
    )
    op.execute("DROP FUNCTION pg_temp.huiyin_unpack_u32(bytea)")
