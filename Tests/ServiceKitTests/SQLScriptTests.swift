import ServiceKit
import Testing

@Suite struct SQLScriptTests {
    @Test func splitsStatementsButNotQuotedOrDollarQuotedSemicolons() {
        let sql = """
            -- comment; with a semicolon
            CREATE TABLE a (note text DEFAULT 'x;y');
            /* block; comment */
            CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN PERFORM 1; PERFORM 2; END $$;
            CREATE FUNCTION g() RETURNS text LANGUAGE sql AS $fn$ SELECT 'it''s; fine' $fn$;
            INSERT INTO a VALUES ('it''s'); ;
            """
        let statements = SQLScript.statements(sql)
        #expect(statements.count == 4)
        #expect(statements[0] == "CREATE TABLE a (note text DEFAULT 'x;y')")
        #expect(statements[1].hasSuffix("PERFORM 1; PERFORM 2; END $$"))
        #expect(statements[2].contains("'it''s; fine'"))
        #expect(statements[3] == "INSERT INTO a VALUES ('it''s')")
    }
}

@Suite struct ConfigurationTests {
    @Test func missingAndInvalidSettingsSayWhatIsWrong() throws {
        #expect(throws: ConfigurationError.self) {
            try ServiceConfiguration(service: "production", environment: EnvironmentReader([:]))
        }
        do {
            _ = try ServiceConfiguration(service: "production", environment: EnvironmentReader(["STITCH_AMQP_URL": "amqp://x"]))
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("STITCH_DATABASE_URL"))
        }
        let base = ["STITCH_AMQP_URL": "amqp://x", "STITCH_DATABASE_URL": "postgres://u:p@127.0.0.1:5432/stitch"]
        #expect(throws: ConfigurationError.self) {
            try ServiceConfiguration(service: "production", environment: EnvironmentReader(base.merging(["STITCH_PREFETCH": "lots"]) { $1 }))
        }
        let configuration = try ServiceConfiguration(service: "production", environment: EnvironmentReader(base))
        #expect(configuration.database.schema == "production")
        #expect(configuration.database.port == 5432 && configuration.database.username == "u")
        #expect(configuration.prefetch == 32)
    }

    @Test func schemaMustBeAnIdentifier() {
        #expect(throws: ConfigurationError.self) {
            try DatabaseConfiguration(url: "postgres://u@h/db", schema: "bad; DROP")
        }
    }
}
