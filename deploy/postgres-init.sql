-- One database per service (each service owns its database; none reads another's tables).
-- Run by the postgres image once, when its data directory is first initialised; the
-- `migrate` one-shot then creates the tables (Alembic, per service).
CREATE DATABASE huiyin_intake;
CREATE DATABASE huiyin_routing;
CREATE DATABASE huiyin_feedback;
