import Contracts
import Foundation
import Testing

/// What the apps send and what older messages in flight look like still decode as meant.
@Suite struct ProductionContractTests {
    @Test func anOrderNamesItsStagesInAnyCaseAndItsQuantityAsAWholeNumber() throws {
        let body = #"{"article_code":"KOALA","qty":200,"start_date":"2026-11-20","due_date":"2026-11-30","stages":["cutting","Sewing"]}"#
        let order = try StitchJSON.decode(CreateOrder.self, from: Array(body.utf8))
        #expect(order.stages == [.cutting, .sewing] && order.qty == 200)
        let fraction = #"{"article_code":"KOALA","qty":2.5,"start_date":"2026-11-20","due_date":"2026-11-30"}"#
        #expect(throws: DecodingError.self) { try StitchJSON.decode(CreateOrder.self, from: Array(fraction.utf8)) }
        let text = #"{"article_code":"KOALA","qty":"many","start_date":"2026-11-20","due_date":"2026-11-30"}"#
        #expect {
            try StitchJSON.decode(CreateOrder.self, from: Array(text.utf8))
        } throws: { error in
            guard case DecodingError.typeMismatch(let type, _) = error else { return false }
            return type == Int.self
        }
    }

    @Test func anSPKFromBeforeOrdersExistedStillDecodes() throws {
        let old = #"""
            {"id":"6F9619FF-8B86-D011-B42D-00C04FC964FF","code":"SPK-20261101-0001","article_code":"BEAR","stage":"SEWING",
             "department":"SEWING","original_qty":10,"target_qty":10,"produced_qty":0,"reject_qty":0,"progress":0,
             "status":"NOT_STARTED","start_date":"2026-11-01","due_date":"2026-11-05","created_by":"ppic",
             "created_at":"2026-11-01T00:00:00.000Z","updated_at":"2026-11-01T00:00:00.000Z","version":1}
            """#
        let spk = try StitchJSON.decode(SPK.self, from: Array(old.utf8))
        #expect(spk.orderId == nil && spk.sequence == nil && spk.availableWip == nil)
    }

    @Test func eachStageBelongsToItsDepartmentAndTheDefaultRouteIsInOrder() {
        #expect(Stage.defaultRoute == [.cutting, .embroidery, .sewing, .finishing, .packing])
        #expect(Stage.allCases.allSatisfy { $0.department.rawValue == $0.rawValue })
    }
}
