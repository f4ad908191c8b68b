import Messaging

enum WarehouseMigrations {
    static let all: [SQLMigration] = [
        SQLMigration(
            id: "001-locations-items-ledger-balances-debts-cartons",
            sql: """
                CREATE TABLE locations (
                    id         uuid PRIMARY KEY,
                    code       text        NOT NULL UNIQUE,
                    name       text        NOT NULL,
                    type       text        NOT NULL,
                    department text,
                    created_at timestamptz NOT NULL DEFAULT now()
                );

                -- Warehouse's copy of BOMFinance's materials and articles (newest version wins).
                CREATE TABLE items (
                    code          text PRIMARY KEY,
                    kind          text    NOT NULL,
                    name          text    NOT NULL,
                    unit          text    NOT NULL,
                    standard_cost numeric,
                    active        boolean NOT NULL DEFAULT true,
                    version       integer NOT NULL
                );

                -- The ledger: append-only. A correction is a new movement that points at what it reverses.
                CREATE TABLE movements (
                    id            uuid PRIMARY KEY,
                    seq           bigserial   NOT NULL UNIQUE,
                    type          text        NOT NULL,
                    item_code     text        NOT NULL REFERENCES items (code),
                    qty           numeric     NOT NULL CHECK (qty > 0),
                    from_location text REFERENCES locations (code),
                    to_location   text REFERENCES locations (code),
                    reference     text,
                    unit_cost     numeric,
                    reason        text,
                    reverses      uuid UNIQUE REFERENCES movements (id),
                    actor_id      text        NOT NULL,
                    actor_name    text        NOT NULL,
                    occurred_at   timestamptz NOT NULL DEFAULT now()
                );
                CREATE INDEX movements_item ON movements (item_code, seq DESC);
                CREATE INDEX movements_from ON movements (from_location, seq DESC);
                CREATE INDEX movements_to ON movements (to_location, seq DESC);
                CREATE INDEX movements_reference ON movements (reference, seq DESC);
                CREATE INDEX movements_type ON movements (type, seq DESC);
                CREATE INDEX movements_time ON movements (occurred_at);
                CREATE FUNCTION movements_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'the movement ledger is append-only: correct a movement with a reversing one';
                END $$;
                CREATE TRIGGER movements_append_only BEFORE UPDATE OR DELETE ON movements
                    FOR EACH ROW EXECUTE FUNCTION movements_append_only();

                -- Read model of the ledger, kept in the same transaction as each movement.
                CREATE TABLE balances (
                    item_code  text        NOT NULL REFERENCES items (code),
                    location   text        NOT NULL REFERENCES locations (code),
                    qty        numeric     NOT NULL DEFAULT 0,
                    updated_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (item_code, location)
                );
                CREATE INDEX balances_location ON balances (location, item_code);

                CREATE TABLE debts (
                    id                uuid PRIMARY KEY,
                    approval_id       uuid        NOT NULL UNIQUE,
                    approval_code     text        NOT NULL,
                    material_code     text        NOT NULL REFERENCES items (code),
                    location          text        NOT NULL REFERENCES locations (code),
                    spk_code          text,
                    qty               numeric     NOT NULL CHECK (qty > 0),
                    settled_qty       numeric     NOT NULL DEFAULT 0 CHECK (settled_qty >= 0 AND settled_qty <= qty),
                    status            text        NOT NULL,
                    issue_movement_id uuid        NOT NULL REFERENCES movements (id),
                    opened_at         timestamptz NOT NULL,
                    settled_at        timestamptz
                );
                CREATE INDEX debts_open ON debts (material_code, opened_at, id) WHERE status = 'OPEN';
                CREATE INDEX debts_status ON debts (status, opened_at DESC);

                CREATE SEQUENCE sscc_serial START 1;
                CREATE TABLE cartons (
                    id            uuid PRIMARY KEY,
                    sscc          text        NOT NULL UNIQUE,
                    status        text        NOT NULL,
                    order_code    text,
                    delivery_note text,
                    updated_at    timestamptz NOT NULL,
                    document      jsonb       NOT NULL
                );
                CREATE INDEX cartons_delivery_note ON cartons (delivery_note) WHERE delivery_note IS NOT NULL;

                CREATE TABLE delivery_notes (
                    code       text PRIMARY KEY,
                    shipped_at timestamptz NOT NULL,
                    document   jsonb       NOT NULL
                );
                CREATE TABLE customer_returns (
                    id            uuid PRIMARY KEY,
                    delivery_note text        NOT NULL REFERENCES delivery_notes (code),
                    received_at   timestamptz NOT NULL,
                    document      jsonb       NOT NULL
                );
                CREATE TABLE code_counters (prefix text NOT NULL, day date NOT NULL, last integer NOT NULL, PRIMARY KEY (prefix, day));
                """),
        SQLMigration(
            id: "002-inspection-lots",
            sql: """
                -- Quality's final inspection lots (quality.inspection.opened|passed|failed.v1) and which lot each carton is in.
                CREATE TABLE inspection_lots (
                    code       text PRIMARY KEY,
                    status     text        NOT NULL,
                    order_code text        NOT NULL,
                    updated_at timestamptz NOT NULL
                );
                CREATE TABLE lot_cartons (
                    carton_id uuid PRIMARY KEY,
                    lot_code  text NOT NULL REFERENCES inspection_lots (code)
                );
                -- Materials' categories (from BOMFinance's events), for "inspect on receipt".
                CREATE TABLE material_categories (
                    code     text PRIMARY KEY,
                    category text    NOT NULL,
                    version  integer NOT NULL
                );
                -- Receipts held in QUARANTINE until Quality's incoming inspection passes (then a TRANSFER to release_to).
                CREATE TABLE held_receipts (
                    movement_id uuid PRIMARY KEY REFERENCES movements (id),
                    item_code   text    NOT NULL,
                    qty         numeric NOT NULL,
                    quarantine  text    NOT NULL,
                    release_to  text    NOT NULL,
                    status      text    NOT NULL,
                    released_by uuid REFERENCES movements (id)
                );
                """),
        // Which incoming inspection failed a held receipt, so an NCR decision about it finds the stock.
        SQLMigration(
            id: "003-held-receipt-inspection",
            sql: """
                ALTER TABLE held_receipts ADD COLUMN inspection_code text;
                CREATE INDEX held_receipts_inspection ON held_receipts (inspection_code);
                """),
    ]
}
