import Contracts
import Foundation
import Testing
@testable import Quality

@Suite("ANSI/ASQ Z1.4 single sampling, level II, normal inspection")
struct Z14Tests {
    /// Table I, general level II, at both ends of every row.
    @Test("lot size → code letter and sample size at the row boundaries")
    func codeLetters() {
        let rows: [(ClosedRange<Int>, String, Int)] = [
            (2...8, "A", 2), (9...15, "B", 3), (16...25, "C", 5), (26...50, "D", 8), (51...90, "E", 13), (91...150, "F", 20),
            (151...280, "G", 32), (281...500, "H", 50), (501...1200, "J", 80), (1201...3200, "K", 125), (3201...10000, "L", 200),
            (10001...35000, "M", 315), (35001...150_000, "N", 500), (150_001...500_000, "P", 800), (500_001...5_000_000, "Q", 1250),
        ]
        for (lots, letter, size) in rows {
            for lot in [lots.lowerBound, lots.upperBound] {
                #expect(Z14.codeLetter(lotSize: lot) == letter, "lot \(lot)")
                #expect(Z14.sampleSizes[Z14.codeLetter(lotSize: lot)] == size, "lot \(lot)")
            }
        }
    }

    /// Table II-A, AQL 2.5 and 4.0 down every row (arrows followed to the plan they point at).
    @Test("accept/reject numbers for AQL 2.5 and 4.0, arrows followed")
    func acceptReject() throws {
        // (lot size, AQL 2.5: n, Ac, Re, AQL 4.0: n, Ac, Re)
        let expected: [(Int, Int, Int, Int, Int, Int, Int)] = [
            (8, 2, 0, 1, 2, 0, 1),        // A: 2.5 ↓ to C (n 5, but the lot has 8 → 5) — see below
            (15, 5, 0, 1, 3, 0, 1),       // B: 2.5 ↓ C; 4.0 is 0 1 at B
            (25, 5, 0, 1, 3, 0, 1),       // C: 2.5 0 1; 4.0 ↑ B
            (50, 5, 0, 1, 13, 1, 2),      // D: 2.5 ↑ C; 4.0 ↓ E
            (90, 20, 1, 2, 13, 1, 2),     // E: 2.5 ↓ F; 4.0 1 2
            (150, 20, 1, 2, 20, 2, 3),    // F
            (280, 32, 2, 3, 32, 3, 4),    // G
            (500, 50, 3, 4, 50, 5, 6),    // H
            (1200, 80, 5, 6, 80, 7, 8),   // J
            (3200, 125, 7, 8, 125, 10, 11),  // K
            (10000, 200, 10, 11, 200, 14, 15),  // L
            (35000, 315, 14, 15, 315, 21, 22),  // M
            (150_000, 500, 21, 22, 315, 21, 22),  // N: 4.0 ↑ M
            (500_000, 500, 21, 22, 315, 21, 22),  // P: both ↑
            (1_000_000, 500, 21, 22, 315, 21, 22),  // Q: both ↑
        ]
        for (lot, n25, ac25, re25, n40, ac40, re40) in expected.dropFirst() {
            let major = try #require(Z14.plan(lotSize: lot, aql: 2.5))
            #expect([major.sampleSize, major.accept, major.reject] as [Int] == [n25, ac25, re25] as [Int], "lot \(lot) AQL 2.5: \(major)")
            let minor = try #require(Z14.plan(lotSize: lot, aql: 4.0))
            #expect([minor.sampleSize, minor.accept, minor.reject] as [Int] == [n40, ac40, re40] as [Int], "lot \(lot) AQL 4.0: \(minor)")
        }
        // A lot of 8 at AQL 2.5: the arrow leads to C (n 5, 0 1); at 4.0 to B (n 3, 0 1).
        #expect(Z14.plan(lotSize: 8, aql: 2.5).map { [$0.sampleSize, $0.accept, $0.reject] } == [5, 0, 1])
        #expect(Z14.plan(lotSize: 8, aql: 4.0).map { [$0.sampleSize, $0.accept, $0.reject] } == [3, 0, 1])
        // A sample larger than the lot inspects the whole lot.
        #expect(Z14.plan(lotSize: 3, aql: 2.5)?.sampleSize == 3)
        #expect(Z14.plan(lotSize: 50, aql: 2.5)?.planLetter == "C")
        #expect(Z14.plan(lotSize: 50, aql: 2.5)?.codeLetter == "D")
        #expect(Z14.plan(lotSize: 100, aql: 3.0) == nil)
    }

    @Test("the other columns keep the master table's diagonal: 1.0 at E is 0 1, at H 1 2, at Q 21 22")
    func otherColumns() throws {
        #expect(Z14.plan(lotSize: 90, aql: 1.0).map { [$0.sampleSize, $0.accept] } == [13, 0])
        #expect(Z14.plan(lotSize: 150, aql: 1.0).map { [$0.sampleSize, $0.accept] } == [13, 0])   // F ↑ E
        #expect(Z14.plan(lotSize: 280, aql: 1.0).map { [$0.sampleSize, $0.accept] } == [50, 1])   // G ↓ H
        #expect(Z14.plan(lotSize: 600_000, aql: 1.0).map { [$0.sampleSize, $0.accept, $0.reject] } == [1250, 21, 22])
        #expect(Z14.plan(lotSize: 600_000, aql: 0.65).map { [$0.sampleSize, $0.accept, $0.reject] } == [1250, 14, 15])
        #expect(Z14.plan(lotSize: 8, aql: 6.5).map { [$0.sampleSize, $0.accept, $0.reject] } == [2, 0, 1])
        #expect(Z14.plan(lotSize: 10000, aql: 6.5).map { [$0.sampleSize, $0.accept, $0.reject] } == [200, 21, 22])
    }
}

@Suite("Final inspection rules")
struct InspectionRulesTests {
    let major = SamplingPlan(aql: 2.5, codeLetter: "F", planLetter: "F", sampleSize: 20, accept: 1, reject: 2)
    let minor = SamplingPlan(aql: 4.0, codeLetter: "F", planLetter: "F", sampleSize: 20, accept: 2, reject: 3)

    @Test("pass at the accept numbers, fail at the reject numbers, fail on any critical")
    func verdicts() {
        #expect(InspectionRules.verdict(critical: 0, major: 1, minor: 2, majorPlan: major, minorPlan: minor).status == .passed)
        #expect(InspectionRules.verdict(critical: 0, major: 2, minor: 0, majorPlan: major, minorPlan: minor).status == .failed)
        #expect(InspectionRules.verdict(critical: 0, major: 0, minor: 3, majorPlan: major, minorPlan: minor).status == .failed)
        let critical = InspectionRules.verdict(critical: 1, major: 0, minor: 0, majorPlan: major, minorPlan: minor)
        #expect(critical.status == .failed && critical.reasons.first?.contains("critical") == true)
    }

    @Test("a result's codes must be known, once each, and not more than the sample")
    func tally() throws {
        let at = Date()
        let codes = ["OPEN_SEAM": DefectCode(code: "OPEN_SEAM", stage: .sewing, name: "", severity: .major, updatedAt: at),
                     "PUCKERING": DefectCode(code: "PUCKERING", stage: .sewing, name: "", severity: .minor, updatedAt: at)]
        let counted = try InspectionRules.tally([DefectCount(code: "open_seam", qty: 1), DefectCount(code: "PUCKERING", qty: 2)],
                                                codes: codes, sampleSize: 20)
        #expect(counted.major == 1 && counted.minor == 2 && counted.critical == 0)
        #expect(throws: ErrorReply.self) { try InspectionRules.tally([DefectCount(code: "NOPE", qty: 1)], codes: codes, sampleSize: 20) }
        #expect(throws: ErrorReply.self) {
            try InspectionRules.tally([DefectCount(code: "OPEN_SEAM", qty: 1), DefectCount(code: "OPEN_SEAM", qty: 1)], codes: codes, sampleSize: 20)
        }
        #expect(throws: ErrorReply.self) { try InspectionRules.tally([DefectCount(code: "OPEN_SEAM", qty: 21)], codes: codes, sampleSize: 20) }
    }

    @Test("cartons to open cover the sample, spread over the lot")
    func cartons() {
        let opened = InspectionRules.cartonsToOpen(Array(repeating: 24, count: 10), sampleSize: 32)
        #expect(opened.count == 2 && opened.count * 24 >= 32)
        #expect(opened.contains(0) && opened.contains(5))
        #expect(InspectionRules.cartonsToOpen([5, 5], sampleSize: 20) == [0, 1])
        #expect(InspectionRules.cartonsToOpen([1, 1, 30], sampleSize: 20).reduce(0) { $0 + [1, 1, 30][$1] } >= 20)
    }
}
