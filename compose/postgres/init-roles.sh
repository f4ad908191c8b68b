#!/bin/sh
# Run once by the postgres image when its data folder is new: the database's per-service roles and
# schemas (the SQL ./compose/setup generated from compose/.env, handed over as a secret). The image
# sources this file into its own entrypoint (it is not executable there), so it sets no shell options:
# the entrypoint's own `set -e` stops the start-up if psql fails.
psql -v ON_ERROR_STOP=1 --username postgres --dbname stitch -f /run/secrets/stitch-roles.sql
