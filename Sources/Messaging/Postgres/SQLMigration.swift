/// One versioned schema change. `id` orders migrations and is recorded once applied; `sql` may
/// hold several statements (functions with dollar quotes included).
public struct SQLMigration: Sendable, Hashable {
    public var id: String
    public var sql: String
    public init(id: String, sql: String) {
        self.id = id
        self.sql = sql
    }
}

/// The tables every service schema has for the messaging rules of docs/architecture.md: the transactional
/// outbox (rule 4), the inbox (consumers' de-duplication), stored replies of idempotent commands
/// (rule 6) — and the audit log every change writes to. Applied before a service's own migrations, into the service's schema.
public enum PlatformMigrations {
    public static let all: [SQLMigration] = [
        SQLMigration(
            id: "000-platform-001-outbox-inbox-idempotency",
            sql: """
                CREATE TABLE outbox (
                    id             bigserial PRIMARY KEY,
                    message_id     text        NOT NULL UNIQUE,
                    exchange       text        NOT NULL,
                    routing_key    text        NOT NULL,
                    message_type   text,
                    correlation_id text,
                    headers        jsonb       NOT NULL DEFAULT '{}'::jsonb,
                    mandatory      boolean     NOT NULL DEFAULT false,
                    body           text        NOT NULL,
                    created_at     timestamptz NOT NULL DEFAULT now(),
                    published_at   timestamptz
                );
                CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
                CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL;

                -- Wakes the relay as soon as a transaction with new rows commits (NOTIFY is transactional).
                CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify(TG_TABLE_SCHEMA || '_outbox', '');
                    RETURN NULL;
                END
                $$;
                CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
                    FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

                CREATE TABLE inbox (
                    consumer     text        NOT NULL,
                    message_id   text        NOT NULL,
                    message_type text,
                    received_at  timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (consumer, message_id)
                );
                CREATE INDEX inbox_received_at ON inbox (received_at);

                CREATE TABLE idempotency_keys (
                    scope      text        NOT NULL,
                    key        text        NOT NULL,
                    reply      text,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (scope, key)
                );
                CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
                """),
        SQLMigration(
            id: "000-platform-002-audit-log",
            sql: """
                -- Who changed what, when, from what to what (written in the change's own transaction).
                CREATE TABLE audit_log (
                    id             bigserial PRIMARY KEY,
                    entity         text        NOT NULL,
                    entity_id      text        NOT NULL,
                    action         text        NOT NULL,
                    actor_id       text        NOT NULL,
                    actor_name     text        NOT NULL,
                    before         jsonb,
                    after          jsonb,
                    correlation_id text,
                    at             timestamptz NOT NULL DEFAULT now()
                );
                CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
                """),
    ]
}
