#!/bin/sh
# Creates or upgrades Temporal's two PostgreSQL schemas. Safe to run on every start.
set -eu
# temporal-sql-tool reads the password from SQL_PASSWORD.
for db in temporal temporal_visibility; do
  kind=$([ "$db" = temporal ] && echo temporal || echo visibility)
  temporal-sql-tool --plugin postgres12 --ep postgresql -p 5432 -u "$POSTGRES_USER" --db "$db" create || true
  # setup-schema refuses a database that already has one; update-schema then brings it to the newest version.
  temporal-sql-tool --plugin postgres12 --ep postgresql -p 5432 -u "$POSTGRES_USER" --db "$db" setup-schema -v 0.0 || true
  temporal-sql-tool --plugin postgres12 --ep postgresql -p 5432 -u "$POSTGRES_USER" --db "$db" update-schema -d "/etc/temporal/schema/postgresql/v12/$kind/versioned"
done
echo "Temporal schemas are current"
