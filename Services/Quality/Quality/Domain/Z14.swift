import Contracts

/// ANSI/ASQ Z1.4 (= MIL-STD-105E, ISO 2859-1) single sampling, general inspection level II, normal
/// inspection, kept as data: Table I (lot size → code letter) and Table II-A (code letter → sample
/// size, and per AQL the accept/reject numbers or an arrow to the first plan below or above it).
public enum Z14 {
    /// Table I, general inspection level II: the largest lot size of each code letter's row.
    public static let codeLetters: [(maxLotSize: Int, letter: String)] = [
        (8, "A"), (15, "B"), (25, "C"), (50, "D"), (90, "E"), (150, "F"), (280, "G"), (500, "H"), (1200, "J"), (3200, "K"),
        (10_000, "L"), (35_000, "M"), (150_000, "N"), (500_000, "P"), (Int.max, "Q"),
    ]

    /// Table II-A, the rows: code letter and sample size.
    public static let letters: [String] = ["A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "Q", "R"]
    public static let sampleSizes: [String: Int] = [
        "A": 2, "B": 3, "C": 5, "D": 8, "E": 13, "F": 20, "G": 32, "H": 50, "J": 80, "K": 125, "L": 200, "M": 315, "N": 500,
        "P": 800, "Q": 1250, "R": 2000,
    ]

    enum Cell: Equatable {
        case plan(accept: Int, reject: Int)
        /// Use the first plan below the arrow (a larger sample).
        case down
        /// Use the first plan above the arrow (a smaller sample).
        case up
    }

    /// Table II-A's columns for the AQLs a sewn-goods factory uses (percent nonconforming), rows A…R.
    /// Every column has the same shape along the diagonal where its "0 1" sits: arrows down above it,
    /// then ↑, ↓, 1 2, 2 3, 3 4, 5 6, 7 8, 10 11, 14 15, 21 22, and arrows up below.
    static let columns: [Double: [Cell]] = {
        // The row (0 = A) of each AQL's "0 1".
        let zeroOneRow: [Double: Int] = [0.65: 5, 1.0: 4, 1.5: 3, 2.5: 2, 4.0: 1, 6.5: 0]
        let after: [Cell] = [.up, .down] + [1, 2, 3, 5, 7, 10, 14, 21].map { Cell.plan(accept: $0, reject: $0 + 1) }
        var table: [Double: [Cell]] = [:]
        for (aql, row) in zeroOneRow {
            var cells = Array(repeating: Cell.down, count: row) + [.plan(accept: 0, reject: 1)] + after
            if cells.count > letters.count { cells = Array(cells.prefix(letters.count)) }
            cells += Array(repeating: Cell.up, count: letters.count - cells.count)
            table[aql] = cells
        }
        return table
    }()

    public static var supportedAQLs: [Double] { columns.keys.sorted() }

    /// Table I: the code letter of a lot (at least 2 units).
    public static func codeLetter(lotSize: Int) -> String {
        codeLetters.first { lotSize <= $0.maxLotSize }!.letter
    }

    /// The plan for a lot at `aql`, following the arrows. Nil for an AQL outside the table's columns
    /// here. When the sample is as large as the lot, every unit is inspected (sample = lot size).
    public static func plan(lotSize: Int, aql: Double) -> SamplingPlan? {
        guard let column = columns[aql] else { return nil }
        let letter = codeLetter(lotSize: max(2, lotSize))
        var row = letters.firstIndex(of: letter)!
        while true {
            switch column[row] {
            case .plan(let accept, let reject):
                let size = min(sampleSizes[letters[row]]!, max(lotSize, 1))
                return SamplingPlan(aql: aql, codeLetter: letter, planLetter: letters[row], sampleSize: size, accept: accept, reject: reject)
            case .down: row += 1
            case .up: row -= 1
            }
        }
    }
}
