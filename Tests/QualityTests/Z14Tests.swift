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

    /// Table II-A as the standard prints it for AQL 1.0, 2.5 and 4.0, per code letter: the plan the arrows lead
    /// to (letter, its sample size, Ac, Re). Written out by hand from the standard, not derived from `Z14`'s data.
    static let standard: [Double: [String: (plan: String, n: Int, ac: Int, re: Int)]] = [
        1.0: [
            "A": ("E", 13, 0, 1), "B": ("E", 13, 0, 1), "C": ("E", 13, 0, 1), "D": ("E", 13, 0, 1), "E": ("E", 13, 0, 1),
            "F": ("E", 13, 0, 1), "G": ("H", 50, 1, 2), "H": ("H", 50, 1, 2), "J": ("J", 80, 2, 3), "K": ("K", 125, 3, 4),
            "L": ("L", 200, 5, 6), "M": ("M", 315, 7, 8), "N": ("N", 500, 10, 11), "P": ("P", 800, 14, 15), "Q": ("Q", 1250, 21, 22),
        ],
        2.5: [
            "A": ("C", 5, 0, 1), "B": ("C", 5, 0, 1), "C": ("C", 5, 0, 1), "D": ("C", 5, 0, 1), "E": ("F", 20, 1, 2),
            "F": ("F", 20, 1, 2), "G": ("G", 32, 2, 3), "H": ("H", 50, 3, 4), "J": ("J", 80, 5, 6), "K": ("K", 125, 7, 8),
            "L": ("L", 200, 10, 11), "M": ("M", 315, 14, 15), "N": ("N", 500, 21, 22), "P": ("N", 500, 21, 22), "Q": ("N", 500, 21, 22),
        ],
        4.0: [
            "A": ("B", 3, 0, 1), "B": ("B", 3, 0, 1), "C": ("B", 3, 0, 1), "D": ("E", 13, 1, 2), "E": ("E", 13, 1, 2),
            "F": ("F", 20, 2, 3), "G": ("G", 32, 3, 4), "H": ("H", 50, 5, 6), "J": ("J", 80, 7, 8), "K": ("K", 125, 10, 11),
            "L": ("L", 200, 14, 15), "M": ("M", 315, 21, 22), "N": ("M", 315, 21, 22), "P": ("M", 315, 21, 22), "Q": ("M", 315, 21, 22),
        ],
    ]
    static let rows: [(ClosedRange<Int>, String)] = [
        (2...8, "A"), (9...15, "B"), (16...25, "C"), (26...50, "D"), (51...90, "E"), (91...150, "F"), (151...280, "G"), (281...500, "H"),
        (501...1200, "J"), (1201...3200, "K"), (3201...10000, "L"), (10001...35000, "M"), (35001...150_000, "N"),
        (150_001...500_000, "P"), (500_001...5_000_000, "Q"),
    ]

    /// Table II-A at both ends of every lot-size row, arrows followed to the plan they point at (and its sample
    /// size — the whole lot when that sample is as large as the lot).
    @Test("accept/reject numbers for AQL 1.0, 2.5 and 4.0 at every lot-size boundary, arrows followed", arguments: [1.0, 2.5, 4.0])
    func acceptReject(aql: Double) throws {
        let column = try #require(Self.standard[aql])
        for (lots, letter) in Self.rows {
            let expected = try #require(column[letter])
            for lot in [lots.lowerBound, lots.upperBound] {
                let plan = try #require(Z14.plan(lotSize: lot, aql: aql))
                #expect(plan.codeLetter == letter && plan.planLetter == expected.plan, "lot \(lot) AQL \(aql): \(plan)")
                #expect(
                    [plan.sampleSize, plan.accept, plan.reject] as [Int] == [min(expected.n, lot), expected.ac, expected.re] as [Int],
                    "lot \(lot) AQL \(aql): \(plan)")
            }
        }
    }

    @Test("arrows: a lot of 50 at AQL 2.5 is D ↑ C (5, 0/1); at 4.0 D ↓ E (13, 1/2); a lot smaller than the sample is inspected whole")
    func arrows() {
        #expect(Z14.plan(lotSize: 50, aql: 2.5).map { [$0.codeLetter, $0.planLetter] } == ["D", "C"])
        #expect(Z14.plan(lotSize: 50, aql: 4.0).map { [$0.sampleSize, $0.accept, $0.reject] } == [13, 1, 2])
        #expect(Z14.plan(lotSize: 100, aql: 1.0).map { [$0.sampleSize, $0.accept, $0.reject] } == [13, 0, 1])  // F ↑ E
        #expect(Z14.plan(lotSize: 200, aql: 1.0).map { [$0.sampleSize, $0.accept, $0.reject] } == [50, 1, 2])  // G ↓ H
        #expect(Z14.plan(lotSize: 200_000, aql: 4.0).map { [$0.sampleSize, $0.accept, $0.reject] } == [315, 21, 22])  // P ↑ M
        #expect(Z14.plan(lotSize: 3, aql: 2.5)?.sampleSize == 3)
        #expect(Z14.plan(lotSize: 10, aql: 1.0)?.sampleSize == 10)
        #expect(Z14.plan(lotSize: 100, aql: 3.0) == nil)
    }

    @Test("the other columns keep the master table's diagonal: 1.0 at E is 0 1, at H 1 2, at Q 21 22")
    func otherColumns() throws {
        #expect(Z14.plan(lotSize: 90, aql: 1.0).map { [$0.sampleSize, $0.accept] } == [13, 0])
        #expect(Z14.plan(lotSize: 150, aql: 1.0).map { [$0.sampleSize, $0.accept] } == [13, 0])  // F ↑ E
        #expect(Z14.plan(lotSize: 280, aql: 1.0).map { [$0.sampleSize, $0.accept] } == [50, 1])  // G ↓ H
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
        let codes = [
            "OPEN_SEAM": DefectCode(code: "OPEN_SEAM", stage: .sewing, name: "", severity: .major, updatedAt: at),
            "PUCKERING": DefectCode(code: "PUCKERING", stage: .sewing, name: "", severity: .minor, updatedAt: at),
        ]
        let counted = try InspectionRules.tally(
            [DefectCount(code: "open_seam", qty: 1), DefectCount(code: "PUCKERING", qty: 2)],
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
