import Messaging

enum ApprovalMigrations {
    static let all: [SQLMigration] = [
        SQLMigration(
            id: "001-requests-chains-spk-copies",
            sql: """
                -- Chains are data: per kind, ordered levels, each a role and an optional condition
                -- over the request's facts (e.g. change_percent > 10).
                CREATE TABLE approval_chains (
                    kind      text    NOT NULL,
                    level     integer NOT NULL,
                    role      text    NOT NULL,
                    condition text,
                    PRIMARY KEY (kind, level)
                );
                INSERT INTO approval_chains (kind, level, role, condition) VALUES
                    ('QUANTITY_CHANGE', 1, 'PRODUCTION_MANAGER', NULL),
                    ('QUANTITY_CHANGE', 2, 'MANAGER', 'change_percent > 10'),
                    ('MATERIAL_DEBT', 1, 'PRODUCTION_MANAGER', NULL),
                    ('MATERIAL_DEBT', 2, 'WAREHOUSE_MANAGER', NULL);

                -- A request is stored whole (levels and decisions included) with the columns queries need.
                CREATE TABLE approval_requests (
                    id              uuid PRIMARY KEY,
                    code            text        NOT NULL UNIQUE,
                    kind            text        NOT NULL,
                    status          text        NOT NULL,
                    spk_id          uuid        NOT NULL,
                    requested_by_id text        NOT NULL,
                    requested_at    timestamptz NOT NULL,
                    waiting_role    text,
                    document        jsonb       NOT NULL
                );
                CREATE UNIQUE INDEX approval_requests_one_open_change ON approval_requests (spk_id)
                    WHERE status = 'PENDING' AND kind = 'QUANTITY_CHANGE';
                CREATE INDEX approval_requests_waiting ON approval_requests (waiting_role, requested_at) WHERE status = 'PENDING';
                CREATE INDEX approval_requests_kind_status ON approval_requests (kind, status, requested_at);

                CREATE TABLE approval_code_counters (prefix text NOT NULL, day date NOT NULL, last integer NOT NULL,
                                                     PRIMARY KEY (prefix, day));

                -- What Approval knows of each SPK, from Production's events (newest version wins).
                CREATE TABLE spk_copies (
                    spk_id       uuid PRIMARY KEY,
                    code         text    NOT NULL UNIQUE,
                    original_qty integer NOT NULL,
                    target_qty   integer NOT NULL,
                    produced_qty integer NOT NULL,
                    status       text    NOT NULL,
                    version      integer NOT NULL
                );
                """),
        // Requests are checked against Production at submission; the per-input copy is gone.
        SQLMigration(id: "002-drop-spk-copies", sql: "DROP TABLE IF EXISTS spk_copies;"),
        // What Approval knows of BOMFinance's materials (from its events, or asked once): a material-debt
        // request names a material that exists, in an amount its unit allows.
        SQLMigration(
            id: "003-material-copies",
            sql: """
                CREATE TABLE material_copies (
                    code    text    PRIMARY KEY,
                    unit    text    NOT NULL,
                    version integer NOT NULL
                );
                """),
    ]
}
