import Messaging

enum GatewayMigrations {
    static let all: [SQLMigration] = [
        SQLMigration(id: "001-users-tokens", sql: """
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
    ]
}
