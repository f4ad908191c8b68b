import Messaging

/// PPIC's schema, in order. Append new migrations; never edit an applied one.
enum PPICMigrations {
    static let all: [SQLMigration] = [
        SQLMigration(
            id: "001-spk-view",
            sql: """
                -- One row per SPK, as the latest event described it (version guards against reordering).
                CREATE TABLE spk_view (
                    spk_id       uuid PRIMARY KEY,
                    code         text        NOT NULL,
                    stage        text        NOT NULL,
                    department   text        NOT NULL,
                    target_qty   integer     NOT NULL,
                    produced_qty integer     NOT NULL,
                    reject_qty   integer     NOT NULL,
                    status       text        NOT NULL,
                    start_date   date        NOT NULL,
                    due_date     date        NOT NULL,
                    version      integer     NOT NULL,
                    updated_at   timestamptz NOT NULL
                );
                CREATE INDEX spk_view_stage ON spk_view (stage);
                CREATE INDEX spk_view_status_due ON spk_view (status, due_date);
                """),
        SQLMigration(
            id: "002-approvals-view",
            sql: """
                -- Approval requests as their events told; a decided one never goes back to PENDING.
                CREATE TABLE approvals_view (
                    request_id   uuid PRIMARY KEY,
                    code         text        NOT NULL,
                    kind         text        NOT NULL,
                    status       text        NOT NULL,
                    requested_at timestamptz NOT NULL
                );
                CREATE INDEX approvals_view_pending ON approvals_view (requested_at) WHERE status = 'PENDING';
                """),
        SQLMigration(
            id: "003-spk-health",
            sql: """
                -- Health and alerts are judged when an SPK's event arrives and once a day for every
                -- unfinished SPK, and stored, so reports only read. The plan window (working days in
                -- start…due) is kept for the daily target.
                ALTER TABLE spk_view
                    ADD COLUMN order_id             uuid,
                    ADD COLUMN order_code           text,
                    ADD COLUMN sequence             integer,
                    ADD COLUMN planned_days         integer,
                    ADD COLUMN counts_calendar_days boolean NOT NULL DEFAULT false,
                    ADD COLUMN last_input_date      date,
                    ADD COLUMN health               text,
                    ADD COLUMN health_rank          smallint,
                    ADD COLUMN health_since         date,
                    ADD COLUMN planned_qty          integer,
                    ADD COLUMN health_reason        text;
                CREATE INDEX spk_view_order ON spk_view (order_id, sequence) WHERE order_id IS NOT NULL;
                CREATE INDEX spk_view_health ON spk_view (health_rank, due_date, code) WHERE health IS NOT NULL;

                -- Every daily entry and reversal (negative), keyed by Production's id: a replayed event or
                -- a rebuild overlapping the live stream inserts nothing twice.
                CREATE TABLE spk_entries (
                    entry_id   uuid PRIMARY KEY,
                    spk_id     uuid    NOT NULL,
                    entry_date date    NOT NULL,
                    qty        integer NOT NULL,
                    reject_qty integer NOT NULL
                );
                CREATE INDEX spk_entries_date ON spk_entries (entry_date);
                CREATE INDEX spk_entries_input ON spk_entries (spk_id, entry_date) WHERE qty > 0 OR reject_qty > 0;

                -- The alerts of unfinished SPKs, replaced whenever the SPK is judged again; code, stage and
                -- due date are copied so the alert list is one index scan.
                CREATE TABLE spk_alerts (
                    spk_id   uuid NOT NULL,
                    type     text NOT NULL,
                    severity text NOT NULL,
                    since    date NOT NULL,
                    message  text NOT NULL,
                    code     text NOT NULL,
                    stage    text NOT NULL,
                    due_date date NOT NULL,
                    PRIMARY KEY (spk_id, type)
                );
                CREATE INDEX spk_alerts_urgency ON spk_alerts (severity, since, due_date, code);

                -- For which factory date and rules every unfinished SPK was last judged. Its row lock makes
                -- one instance sweep while the others wait and then find the work done.
                CREATE TABLE assessment_state (
                    id           integer PRIMARY KEY CHECK (id = 1),
                    assessed_for date,
                    rules        text
                );
                INSERT INTO assessment_state (id) VALUES (1);
                """),
        SQLMigration(
            id: "004-approvals-view-spk",
            sql: """
                -- Which SPK a request is about, for the "approval waiting" alert.
                ALTER TABLE approvals_view ADD COLUMN spk_id uuid, ADD COLUMN spk_code text;
                """),
        SQLMigration(
            id: "005-warehouse-views",
            sql: """
                -- Material debts as the warehouse told (opened, settled), for the "debt open too long" warning.
                CREATE TABLE debts_view (
                    debt_id       uuid PRIMARY KEY,
                    approval_code text        NOT NULL,
                    material_code text        NOT NULL,
                    spk_code      text,
                    open_qty      numeric     NOT NULL,
                    opened_at     timestamptz NOT NULL,
                    settled       boolean     NOT NULL DEFAULT false
                );
                CREATE INDEX debts_view_open ON debts_view (opened_at) WHERE NOT settled;
                -- Cartons confirmed into finished goods, one row each, by the factory date they arrived.
                CREATE TABLE fg_receipts (
                    carton_id    uuid PRIMARY KEY,
                    order_code   text,
                    spk_code     text    NOT NULL,
                    article_code text    NOT NULL,
                    qty          integer NOT NULL,
                    received_on  date    NOT NULL
                );
                CREATE INDEX fg_receipts_day ON fg_receipts (received_on);
                CREATE INDEX fg_receipts_order ON fg_receipts (order_code, received_on);
                """),
        SQLMigration(
            id: "006-quality-views",
            sql: """
                -- NCRs Quality escalated (quality.ncr.escalated.v1) until decided (quality.ncr.decided.v1): the "NCR escalated" alert.
                CREATE TABLE ncrs_view (
                    code         text PRIMARY KEY,
                    title        text        NOT NULL,
                    article_code text,
                    escalated_at timestamptz,
                    decided      boolean     NOT NULL DEFAULT false
                );
                CREATE INDEX ncrs_view_escalated ON ncrs_view (escalated_at) WHERE NOT decided AND escalated_at IS NOT NULL;
                -- Daily input's defects by code (production.daily-input.recorded.v1), dropped out when the entry is voided.
                CREATE TABLE entry_defects (
                    entry_id   uuid    NOT NULL,
                    code       text    NOT NULL,
                    stage      text    NOT NULL,
                    entry_date date    NOT NULL,
                    qty        integer NOT NULL,
                    voided     boolean NOT NULL DEFAULT false,
                    PRIMARY KEY (entry_id, code)
                );
                CREATE INDEX entry_defects_window ON entry_defects (entry_date) WHERE NOT voided;
                """),
        // Production's SPK totals are 64-bit (its 008): the copy holds what the events carry.
        SQLMigration(
            id: "007-spk-totals-bigint",
            sql: """
                ALTER TABLE spk_view ALTER COLUMN produced_qty TYPE bigint, ALTER COLUMN reject_qty TYPE bigint;
                """),
    ]
}
