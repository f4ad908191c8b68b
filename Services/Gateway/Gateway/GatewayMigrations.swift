import Messaging

enum GatewayMigrations {
    static let all: [SQLMigration] = [
        SQLMigration(
            id: "001-users-tokens",
            sql: """
                CREATE TABLE users (
                    id            uuid PRIMARY KEY,
                    username      text        NOT NULL UNIQUE,
                    full_name     text        NOT NULL,
                    password_hash text        NOT NULL,
                    roles         text[]      NOT NULL,
                    department    text,
                    active        boolean     NOT NULL DEFAULT true,
                    created_at    timestamptz NOT NULL DEFAULT now(),
                    updated_at    timestamptz NOT NULL DEFAULT now()
                );

                -- Failed logins per user name: after too many the account is locked for a while.
                CREATE TABLE login_failures (
                    username     text PRIMARY KEY,
                    failures     integer NOT NULL,
                    locked_until timestamptz
                );

                -- Refresh tokens are stored hashed. Each refresh replaces its token; presenting a replaced
                -- one again (a stolen copy) revokes the whole family.
                CREATE TABLE refresh_tokens (
                    token_hash text PRIMARY KEY,
                    user_id    uuid        NOT NULL REFERENCES users (id),
                    family     uuid        NOT NULL,
                    expires_at timestamptz NOT NULL,
                    revoked_at timestamptz,
                    created_at timestamptz NOT NULL DEFAULT now()
                );
                CREATE INDEX refresh_tokens_family ON refresh_tokens (family);
                """),
        // Failed sign-ins are counted per user name AND client address: counting by name alone let anyone
        // lock `admin` out. (Counts in flight are dropped: they only ever lasted minutes.) A refresh
        // chain ends a fixed time after its sign-in (`family_expires_at`). Both tables are trimmed by
        // `AuthHousekeeping`, hence the indexes on the times it deletes by.
        SQLMigration(
            id: "002-login-failures-per-address-family-lifetime",
            sql: """
                DROP TABLE login_failures;
                CREATE TABLE login_failures (
                    username       text        NOT NULL,
                    client_address text        NOT NULL,
                    failures       integer     NOT NULL,
                    locked_until   timestamptz,
                    last_failed_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (username, client_address)
                );
                CREATE INDEX login_failures_last_failed ON login_failures (last_failed_at);

                ALTER TABLE refresh_tokens ADD COLUMN family_expires_at timestamptz;
                UPDATE refresh_tokens SET family_expires_at = created_at + interval '30 days';
                ALTER TABLE refresh_tokens ALTER COLUMN family_expires_at SET NOT NULL;
                CREATE INDEX refresh_tokens_expires ON refresh_tokens (expires_at);
                """),
        // Each client key is bound to the request it came with (`IdempotencyKeyMiddleware`); trimmed by
        // `AuthHousekeeping` after `RequestKeyRetention.days`.
        SQLMigration(
            id: "003-request-keys",
            sql: """
                CREATE TABLE request_keys (
                    user_id     text        NOT NULL,
                    key         text        NOT NULL,
                    fingerprint text        NOT NULL,
                    method      text        NOT NULL,
                    path        text        NOT NULL,
                    created_at  timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (user_id, key)
                );
                CREATE INDEX request_keys_created ON request_keys (created_at);
                """),
    ]
}
