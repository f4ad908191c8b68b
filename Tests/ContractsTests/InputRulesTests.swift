import Contracts
import Foundation
import Testing

/// Every number and text from outside is bounded where it enters, on both sides (InputRules.swift).
@Suite struct InputRulesTests {
    @Test func aPageFarBeyondAnyListIsRefusedAndItsOffsetNeverTraps() throws {
        let huge = PageRequest(page: Int.max, perPage: 50)
        #expect(huge.problems.map(\.field) == ["page"])
        #expect(huge.offset > 0)  // computing it must not trap, validated or not
        #expect(PageRequest(page: Int.max, perPage: Int.max).offset > 0)
        #expect(PageRequest(page: Int.min, perPage: Int.min).offset == 0)
        #expect(PageRequest(page: 1_000_000, perPage: 500).problems.isEmpty)
        #expect(PageRequest(page: 1_000_001).problems.map(\.field) == ["page"])
    }

    @Test func quantitiesHaveUpperBoundsNamedByTheirField() {
        let entry = DailyInputEntry(date: LocalDate("2026-03-10")!, qty: 5, rejectQty: Int.max)
        #expect(RecordDailyInput(spk: "SPK-1", entry: entry).inputProblems.map(\.field) == ["reject_qty"])
        // A backlog's entries are judged one by one by Production; only its size is the batch's.
        let batch = RecordMobileBatch(entries: [MobileEntry(spkId: "SPK-1", entry: entry)])
        #expect(batch.inputProblems.isEmpty)
        #expect(RecordMobileBatch(entries: []).inputProblems.map(\.field) == ["entries"])
        let spk = CreateSPK(
            articleCode: "BEAR", stage: .sewing, department: .sewing, originalQty: Int.max,
            startDate: LocalDate("2026-03-01")!, dueDate: LocalDate("2026-03-02")!)
        #expect(spk.inputProblems.map(\.field) == ["original_qty"])
        #expect(RequestQuantityChange(spk: "S", newQty: 10_000_001, reason: "r").inputProblems.map(\.field) == ["new_qty"])
        #expect(RequestMaterialDebt(spkId: "S", materialCode: "M", qty: .infinity, reason: "r").inputProblems.map(\.field) == ["qty"])
        #expect(GetAlerts(limit: Int.max).inputProblems.map(\.field) == ["limit"])
        #expect(ExportSPKs(limit: 0).inputProblems.map(\.field) == ["limit"])
    }

    @Test func controlCharactersAreRefusedAnywhereInARequestNamingTheField() {
        #expect(throws: ErrorReply.self) { try ListOrders(articleCode: "\u{0}").validate() }
        let problems = InputRules.textProblems(in: ListOrders(articleCode: "BE\u{0}AR"))
        #expect(problems.map(\.field) == ["article_code"])
        let entry = DailyInputEntry(date: LocalDate("2026-03-10")!, qty: 5, notes: "line 1\nline 2\tok", clientEntryId: "a\u{7}")
        #expect(
            InputRules.textProblems(in: RecordMobileBatch(entries: [MobileEntry(spkId: "S\u{1B}", entry: entry)])).map(\.field)
                == ["entries[0].spk_id", "entries[0].entry.client_entry_id"])
        // Free text keeps its line breaks and tabs, but not NUL.
        #expect(InputRules.textProblem("a\nb\tc", field: "notes") == nil)
        #expect(InputRules.textProblem("a\u{0}b", field: "notes") != nil)
        #expect(InputRules.textProblem("a\nb", field: "article_code") != nil)
        #expect(InputRules.textProblem(String(repeating: "x", count: 501), field: "spk") != nil)
    }

    @Test func theWalkFindsTextInEveryShapeAValueCanHave() {
        struct Line: Codable {
            var code: String
            var qty: Int
            var note: String?
        }
        struct Body: Codable {
            var lines: [Line]
            var byCode: [String: String]
            var tags: [[String]]
            var notes: String?
            var createdAt: Date
        }
        let body = Body(
            lines: [Line(code: "OK", qty: 1, note: nil), Line(code: "B\u{85}D", qty: 2, note: "x")],
            byCode: ["A\u{0}": "fine", "B": "bad\u{7F}"], tags: [["a"], ["b", String(repeating: "y", count: 501)]],
            notes: String(repeating: "n", count: 1_999) + "\n", createdAt: Date())
        #expect(Set(InputRules.textProblems(in: body).map(\.field)) == ["lines[1].code", "by_code", "by_code.B", "tags[1][1]"])
        #expect(InputRules.textProblems(in: "top\u{1}").map(\.field) == ["body"])
    }

    @Test func theOwningServiceRefusesAnOutOfBoundsRequestAsItReadsIt() throws {
        let body = try StitchJSON.encode(Envelope(ListSPKs(page: PageRequest(page: Int.max)), actor: nil))
        #expect {
            try StitchJSON.decode(Envelope<ListSPKs>.self, from: body)
        } throws: { error in
            guard case DecodingError.dataCorrupted(let context) = error else { return false }
            return context.codingPath.last?.stringValue == "page"
        }
        let nul = try StitchJSON.encode(Envelope(ListOrders(articleCode: "\u{0}"), actor: nil))
        #expect(throws: DecodingError.self) { try StitchJSON.decode(Envelope<ListOrders>.self, from: nul) }
        let fine = try StitchJSON.encode(Envelope(ListSPKs(), actor: nil))
        #expect(try StitchJSON.decode(Envelope<ListSPKs>.self, from: fine).payload.page == PageRequest())
    }
}
