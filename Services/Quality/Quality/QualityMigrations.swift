import Messaging

enum QualityMigrations {
    static let all: [SQLMigration] = [
        SQLMigration(
            id: "001-defect-codes-tallies-inspections-ncrs",
            sql: """
                -- announced: DefectCodeSaved has been put in the outbox for this version (seeded codes start unannounced).
                CREATE TABLE defect_codes (
                    code       text PRIMARY KEY,
                    stage      text        NOT NULL,
                    name       text        NOT NULL,
                    severity   text        NOT NULL,
                    active     boolean     NOT NULL DEFAULT true,
                    version    integer     NOT NULL DEFAULT 1,
                    announced  boolean     NOT NULL DEFAULT false,
                    updated_at timestamptz NOT NULL DEFAULT now()
                );
                CREATE INDEX defect_codes_unannounced ON defect_codes (code) WHERE NOT announced;
                INSERT INTO defect_codes (code, stage, name, severity) VALUES
                    ('WRONG_SIZE', 'CUTTING', 'Part cut to the wrong size', 'MAJOR'),
                    ('FRAYED_EDGE', 'CUTTING', 'Frayed edge', 'MINOR'),
                    ('MISALIGNED', 'EMBROIDERY', 'Embroidery misaligned', 'MAJOR'),
                    ('THREAD_BREAK', 'EMBROIDERY', 'Thread break in the embroidery', 'MINOR'),
                    ('SKIPPED_STITCH', 'SEWING', 'Skipped stitch', 'MINOR'),
                    ('OPEN_SEAM', 'SEWING', 'Open seam', 'MAJOR'),
                    ('PUCKERING', 'SEWING', 'Puckering', 'MINOR'),
                    ('LOOSE_EYE', 'SEWING', 'Eye or nose not secure (pull test failed)', 'CRITICAL'),
                    ('STAIN', 'FINISHING', 'Stain or soiling', 'MAJOR'),
                    ('LOOSE_THREAD', 'FINISHING', 'Untrimmed loose thread', 'MINOR'),
                    ('WRONG_COUNT', 'PACKING', 'Wrong count in the carton', 'MAJOR'),
                    ('DAMAGED_PACKAGING', 'PACKING', 'Damaged polybag or carton', 'MINOR');

                -- Production's daily entries as its events tell them (output per stage, article and day) and their defects.
                CREATE TABLE line_entries (
                    entry_id     uuid PRIMARY KEY,
                    spk_code     text    NOT NULL,
                    stage        text    NOT NULL,
                    article_code text    NOT NULL,
                    day          date    NOT NULL,
                    qty          integer NOT NULL,
                    reject_qty   integer NOT NULL,
                    voided       boolean NOT NULL DEFAULT false
                );
                CREATE INDEX line_entries_scope ON line_entries (stage, day);
                CREATE TABLE line_defects (
                    entry_id uuid    NOT NULL REFERENCES line_entries (entry_id),
                    code     text    NOT NULL,
                    qty      integer NOT NULL,
                    PRIMARY KEY (entry_id, code)
                );

                CREATE TABLE inspections (
                    id         uuid PRIMARY KEY,
                    code       text        NOT NULL UNIQUE,
                    order_code text        NOT NULL,
                    status     text        NOT NULL,
                    created_at timestamptz NOT NULL,
                    document   jsonb       NOT NULL
                );
                CREATE INDEX inspections_order ON inspections (order_code, created_at DESC);
                -- A carton is in at most one lot that is OPEN or PASSED (a failed lot's cartons may be re-inspected after rework).
                CREATE TABLE inspection_cartons (
                    carton_id     uuid NOT NULL,
                    inspection_id uuid NOT NULL REFERENCES inspections (id),
                    active        boolean NOT NULL DEFAULT true,
                    PRIMARY KEY (carton_id, inspection_id)
                );
                CREATE UNIQUE INDEX inspection_cartons_one_live_lot ON inspection_cartons (carton_id) WHERE active;

                CREATE TABLE ncrs (
                    id          uuid PRIMARY KEY,
                    code        text        NOT NULL UNIQUE,
                    status      text        NOT NULL,
                    escalate_at timestamptz NOT NULL,
                    opened_at   timestamptz NOT NULL,
                    document    jsonb       NOT NULL
                );
                CREATE INDEX ncrs_due ON ncrs (escalate_at) WHERE status = 'OPEN';
                CREATE INDEX ncrs_status ON ncrs (status, opened_at DESC);

                CREATE TABLE code_counters (prefix text NOT NULL, day date NOT NULL, last integer NOT NULL, PRIMARY KEY (prefix, day));
                """),
        SQLMigration(
            id: "002-incoming-inspections",
            sql: """
                -- One per held material receipt (warehouse.receipt.held.v1).
                CREATE TABLE incoming_inspections (
                    id          uuid PRIMARY KEY,
                    code        text        NOT NULL UNIQUE,
                    movement_id uuid        NOT NULL UNIQUE,
                    status      text        NOT NULL,
                    opened_at   timestamptz NOT NULL,
                    document    jsonb       NOT NULL
                );
                CREATE INDEX incoming_inspections_status ON incoming_inspections (status, opened_at DESC);
                """),
    ]
}
