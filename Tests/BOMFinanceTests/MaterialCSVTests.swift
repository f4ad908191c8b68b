import Contracts
import Foundation
import Testing

@testable import BOMFinance

struct MaterialCSVTests {
    @Test("each row becomes a material or a reason with its line number; quoted fields keep their commas")
    func parses() {
        let csv = """
            code,name,category,unit,standard_cost,effective_from
            fab-01,"Fur, brown",fabric,m,45000.5,2026-01-01
            BTN-2,Button,ACCESSORY,box,10,

            EYE-1,Eye,ACCESSORY,PCS,1.23456,
            fab-01,Again,FABRIC,M,,
            """
        let (rows, rejected) = MaterialCSV.parse(csv)
        #expect(rows.map(\.code) == ["FAB-01"])
        #expect(rows.first?.name == "Fur, brown" && rows.first?.standardCost == Decimal(string: "45000.5"))
        #expect(rejected.map(\.line) == [3, 5, 6])
        #expect(rejected[0].reason.contains("unit"))
        #expect(rejected[1].reason.contains("standard_cost"))
        #expect(rejected[2].reason.contains("line 2"))
    }

    @Test("a header without the required columns refuses the whole file")
    func header() {
        let (rows, rejected) = MaterialCSV.parse("code,name\nA,B\n")
        #expect(rows.isEmpty && rejected.first?.line == 1 && rejected.first!.reason.contains("category"))
    }
}
