import Messaging

/// Production's schema, in order. Append new migrations; never edit an applied one.
enum ProductionMigrations {
    static let all: [SQLMigration] = [
        SQLMigration(
            id: "001-spks-daily-inputs",
            sql: """
                CREATE TABLE spks (
                    id           uuid PRIMARY KEY,
                    code         text        NOT NULL UNIQUE,
                    article_code text        NOT NULL,
                    stage        text        NOT NULL,
                    department   text        NOT NULL,
                    original_qty integer     NOT NULL CHECK (original_qty > 0),
                    target_qty   integer     NOT NULL CHECK (target_qty > 0),
                    produced_qty integer     NOT NULL DEFAULT 0 CHECK (produced_qty >= 0),
                    reject_qty   integer     NOT NULL DEFAULT 0 CHECK (reject_qty >= 0),
                    status       text        NOT NULL,
                    start_date   date        NOT NULL,
                    due_date     date        NOT NULL,
                    notes        text,
                    created_by   text        NOT NULL,
                    created_at   timestamptz NOT NULL DEFAULT now(),
                    updated_at   timestamptz NOT NULL DEFAULT now(),
                    version      integer     NOT NULL DEFAULT 1
                );
                CREATE INDEX spks_department_status ON spks (department, status);
                CREATE INDEX spks_status_due ON spks (status, due_date);
                CREATE INDEX spks_due ON spks (due_date);

                -- One counter row per day makes SPK-YYYYMMDD-NNNN unique across concurrent instances.
                CREATE TABLE spk_code_counters (day date PRIMARY KEY, last integer NOT NULL);

                CREATE TABLE daily_inputs (
                    id              uuid PRIMARY KEY,
                    spk_id          uuid        NOT NULL REFERENCES spks (id),
                    input_date      date        NOT NULL,
                    qty             integer     NOT NULL CHECK (qty >= 0),
                    reject_qty      integer     NOT NULL CHECK (reject_qty >= 0),
                    shift           text        NOT NULL,
                    operator_id     text,
                    notes           text,
                    client_entry_id text UNIQUE,
                    recorded_by     text        NOT NULL,
                    recorded_at     timestamptz NOT NULL DEFAULT now()
                );
                CREATE INDEX daily_inputs_spk_date ON daily_inputs (spk_id, input_date);
                """),
        SQLMigration(
            id: "002-spk-target-changes",
            sql: """
                -- Every approved quantity change applied to an SPK, once per approval.
                CREATE TABLE spk_target_changes (
                    approval_id   uuid PRIMARY KEY,
                    approval_code text        NOT NULL,
                    spk_id        uuid        NOT NULL REFERENCES spks (id),
                    old_qty       integer     NOT NULL,
                    new_qty       integer     NOT NULL,
                    approved_by   text        NOT NULL,
                    changed_at    timestamptz NOT NULL DEFAULT now()
                );
                CREATE INDEX spk_target_changes_spk ON spk_target_changes (spk_id, changed_at);
                """),
        SQLMigration(
            id: "003-daily-input-reversals",
            sql: """
                -- A voided entry stays; a reversal row (negative quantities) points at it, so totals follow
                -- and history keeps both.
                ALTER TABLE daily_inputs DROP CONSTRAINT daily_inputs_qty_check;
                ALTER TABLE daily_inputs DROP CONSTRAINT daily_inputs_reject_qty_check;
                ALTER TABLE daily_inputs ADD COLUMN reverses uuid UNIQUE REFERENCES daily_inputs (id);
                ALTER TABLE daily_inputs ADD COLUMN voided_at timestamptz;
                ALTER TABLE daily_inputs ADD COLUMN voided_by text;
                ALTER TABLE daily_inputs ADD COLUMN void_reason text;
                ALTER TABLE daily_inputs ADD CONSTRAINT daily_inputs_sign CHECK (
                    (reverses IS NULL AND qty >= 0 AND reject_qty >= 0) OR (reverses IS NOT NULL AND qty <= 0 AND reject_qty <= 0));
                """),
        SQLMigration(
            id: "004-orders-stages-sync",
            sql: """
                -- A manufacturing order is carried out as one SPK per stage of its route.
                CREATE TABLE orders (
                    id           uuid PRIMARY KEY,
                    code         text        NOT NULL UNIQUE,
                    article_code text        NOT NULL,
                    qty          integer     NOT NULL CHECK (qty > 0),
                    start_date   date        NOT NULL,
                    due_date     date        NOT NULL,
                    stages       text[]      NOT NULL,
                    notes        text,
                    created_by   text        NOT NULL,
                    created_at   timestamptz NOT NULL DEFAULT now()
                );
                CREATE INDEX orders_created ON orders (created_at DESC);
                CREATE TABLE order_code_counters (day date PRIMARY KEY, last integer NOT NULL);

                ALTER TABLE spks ADD COLUMN order_id uuid REFERENCES orders (id);
                ALTER TABLE spks ADD COLUMN sequence integer;
                ALTER TABLE spks ADD CONSTRAINT spks_order_stage UNIQUE (order_id, sequence);

                -- Every change to an SPK takes the next number: a phone syncs "what changed after N".
                CREATE SEQUENCE spk_changes;
                ALTER TABLE spks ADD COLUMN change_seq bigint NOT NULL DEFAULT nextval('spk_changes');
                CREATE INDEX spks_department_change ON spks (department, change_seq);
                """),
        SQLMigration(
            id: "005-article-plans-bom-pins",
            sql: """
                -- What Production knows of each article from BOMFinance's events: its route and ACTIVE BOM.
                CREATE TABLE article_plans (
                    article_code text PRIMARY KEY,
                    route        text[],
                    bom_id       uuid,
                    bom_code     text,
                    bom_version  integer,
                    bom_activated_at timestamptz,
                    version      integer NOT NULL DEFAULT 0
                );
                -- The BOM version an order is pinned to (nil: the article had no ACTIVE BOM then; bom_note says so).
                ALTER TABLE orders ADD COLUMN bom_id uuid;
                ALTER TABLE orders ADD COLUMN bom_code text;
                ALTER TABLE orders ADD COLUMN bom_version integer;
                ALTER TABLE orders ADD COLUMN bom_note text;
                """),
        SQLMigration(
            id: "006-warehouse-receipts",
            sql: """
                -- Cartons the warehouse confirmed into finished goods (warehouse.carton.confirmed.v1), one row each.
                CREATE TABLE warehouse_receipts (
                    carton_id   uuid PRIMARY KEY,
                    order_code  text,
                    spk_code    text        NOT NULL,
                    qty         integer     NOT NULL,
                    received_at timestamptz NOT NULL
                );
                CREATE INDEX warehouse_receipts_order ON warehouse_receipts (order_code);
                """),
        SQLMigration(
            id: "007-defect-codes",
            sql: """
                -- Quality's defect codes (quality.defect-code.saved.v1), newest version wins: daily input's defects name them.
                CREATE TABLE defect_codes (
                    code     text PRIMARY KEY,
                    stage    text    NOT NULL,
                    active   boolean NOT NULL,
                    version  integer NOT NULL
                );
                """),
        // An SPK's rejects have no cap (only its good output has, target plus tolerance): 2,148 entries of
        // 1,000,000 rejects passed int4 and every further entry was refused. Totals over entries are 64-bit.
        SQLMigration(
            id: "008-spk-totals-bigint",
            sql: """
                ALTER TABLE spks ALTER COLUMN produced_qty TYPE bigint, ALTER COLUMN reject_qty TYPE bigint;
                """),
        SQLMigration(
            id: "009-copy-fills",
            sql: """
                -- Copies of another service's data filled once in full (DefectCodeFill): events keep them current after.
                CREATE TABLE copy_fills (
                    name      text PRIMARY KEY,
                    filled_at timestamptz NOT NULL
                );
                """),
    ]
}
