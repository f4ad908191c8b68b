import Messaging

enum BOMFinanceMigrations {
    static let all: [SQLMigration] = [
        SQLMigration(
            id: "001-items-boms-costing",
            sql: """
                CREATE TABLE materials (
                    code       text PRIMARY KEY,
                    name       text        NOT NULL,
                    category   text        NOT NULL,
                    unit       text        NOT NULL,
                    active     boolean     NOT NULL DEFAULT true,
                    version    integer     NOT NULL,
                    updated_at timestamptz NOT NULL
                );
                -- Every standard cost a material had, from its date; the one in force on a day is the latest on or before it.
                CREATE TABLE material_costs (
                    material_code  text          NOT NULL REFERENCES materials (code),
                    effective_from date          NOT NULL,
                    cost           numeric(19,4) NOT NULL CHECK (cost >= 0),
                    reason         text,
                    recorded_by    text,
                    recorded_at    timestamptz   NOT NULL,
                    PRIMARY KEY (material_code, effective_from)
                );
                CREATE TABLE articles (
                    code       text PRIMARY KEY,
                    name       text        NOT NULL,
                    customer   text,
                    route      text[]      NOT NULL,
                    labour     jsonb       NOT NULL,
                    active     boolean     NOT NULL DEFAULT true,
                    version    integer     NOT NULL,
                    updated_at timestamptz NOT NULL
                );
                -- A BOM version is stored whole (document) with the columns queries need. activated_at and
                -- superseded_at bound when it was in force, for costing "as it was on" a date.
                CREATE TABLE boms (
                    id            uuid PRIMARY KEY,
                    code          text        NOT NULL UNIQUE,
                    article_code  text        NOT NULL REFERENCES articles (code),
                    version       integer     NOT NULL,
                    status        text        NOT NULL,
                    activated_at  timestamptz,
                    superseded_at timestamptz,
                    created_at    timestamptz NOT NULL,
                    document      jsonb       NOT NULL,
                    UNIQUE (article_code, version)
                );
                CREATE UNIQUE INDEX boms_one_active ON boms (article_code) WHERE status = 'ACTIVE';
                CREATE INDEX boms_status ON boms (status, article_code);
                -- The where-used graph: what each BOM version names (M = material, A = article).
                CREATE TABLE bom_components (
                    bom_id    uuid    NOT NULL REFERENCES boms (id) ON DELETE CASCADE,
                    kind      char(1) NOT NULL,
                    component text    NOT NULL,
                    PRIMARY KEY (bom_id, kind, component)
                );
                CREATE INDEX bom_components_used ON bom_components (kind, component);
                -- Each article's standard cost now (per unit, before overhead split out), kept by re-costing.
                CREATE TABLE article_costs (
                    article_code text PRIMARY KEY,
                    material     numeric     NOT NULL,
                    labour       numeric     NOT NULL,
                    total        numeric     NOT NULL,
                    costed_at    timestamptz NOT NULL
                );
                -- Manufacturing orders as Production announced them, pinned to a BOM version (or not).
                CREATE TABLE orders (
                    code         text PRIMARY KEY,
                    id           uuid        NOT NULL UNIQUE,
                    article_code text        NOT NULL,
                    qty          integer     NOT NULL,
                    route        text[]      NOT NULL,
                    bom_id       uuid,
                    note         text,
                    created_at   timestamptz NOT NULL
                );
                -- Output and rejects per daily entry of an order's SPKs (a void adds its negative reversal).
                CREATE TABLE order_work (
                    entry_id   uuid PRIMARY KEY,
                    order_code text    NOT NULL,
                    stage      text    NOT NULL,
                    day        date    NOT NULL,
                    good       integer NOT NULL,
                    rejected   integer NOT NULL
                );
                CREATE INDEX order_work_order ON order_work (order_code);
                -- Material Warehouse issued to (or got back from) an order.
                CREATE TABLE order_issues (
                    movement_id   uuid PRIMARY KEY,
                    order_code    text        NOT NULL,
                    material_code text        NOT NULL,
                    qty           numeric     NOT NULL,
                    unit_cost     numeric,
                    occurred_at   timestamptz NOT NULL
                );
                CREATE INDEX order_issues_order ON order_issues (order_code);
                """),
        // The last day whose future-dated standard costs were announced (CostCalendar); NULL: none yet.
        SQLMigration(
            id: "002-cost-calendar",
            sql: """
                CREATE TABLE cost_calendar (id integer PRIMARY KEY CHECK (id = 1), applied_through date);
                INSERT INTO cost_calendar (id, applied_through) VALUES (1, NULL);
                """),
        // NCRs' SCRAP movements valued at standard cost (from warehouse.ncr-stock.disposed.v1), once per movement.
        SQLMigration(
            id: "003-scrap-values",
            sql: """
                CREATE TABLE scrap_values (
                    movement_id uuid PRIMARY KEY,
                    ncr_code    text        NOT NULL,
                    order_code  text,
                    item_code   text        NOT NULL,
                    item_kind   text        NOT NULL,
                    qty         numeric     NOT NULL,
                    unit_cost   numeric,
                    value       numeric,
                    occurred_at timestamptz NOT NULL
                );
                CREATE INDEX scrap_values_ncr ON scrap_values (ncr_code);
                CREATE INDEX scrap_values_order ON scrap_values (order_code);
                """),
    ]
}
