import Contracts
import Foundation
import Testing

@testable import BOMFinance

struct ArticleCSVTests {
    @Test("each row becomes an article (route and labour minutes read) or a reason with its line number")
    func parses() {
        let csv = """
            code,name,customer,route,labour_minutes
            bear-30,"Bear, 30 cm",Toy Co,CUTTING>SEWING>PACKING,CUTTING:3;SEWING:14.5
            PANEL-1,Panel,,,
            BAD-ROUTE,Bad,,SEWING>CUTTING,
            BAD-STAGE,Bad,,CUTTING>IRONING,
            BAD-LABOUR,Bad,,,SEWING=3
            bear-30,Again,,,
            """
        let (rows, rejected) = ArticleCSV.parse(csv)
        #expect(rows.map(\.code) == ["BEAR-30", "PANEL-1"])
        #expect(rows[0].name == "Bear, 30 cm" && rows[0].customer == "Toy Co" && rows[0].route == [.cutting, .sewing, .packing])
        #expect(
            rows[0].labourMinutes == [StageMinutes(stage: .cutting, minutes: 3), StageMinutes(stage: .sewing, minutes: Decimal(string: "14.5")!)])
        #expect(rows[1].route == Stage.defaultRoute && rows[1].customer == nil && rows[1].labourMinutes.isEmpty)
        #expect(rejected.map(\.line) == [4, 5, 6, 7])
        #expect(rejected[0].reason.contains("must follow the order"))
        #expect(rejected[1].reason.contains("route must list stages"))
        #expect(rejected[2].reason.contains("labour_minutes"))
        #expect(rejected[3].reason.contains("line 2"))
    }

    @Test("a file without rows, or without the name column, is refused as a whole")
    func wholeFile() {
        #expect(ArticleCSV.parse("code,name\n").rejections.first?.reason == "the file has no rows")
        #expect(ArticleCSV.parse("code,customer\nA,B\n").rejections.first?.reason.contains("name") == true)
    }
}
