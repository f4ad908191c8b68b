import Contracts
import ServiceKit
import Testing

/// Messages name a service the way people write it (OwnedElsewhere.swift).
@Suite struct ServiceDisplayNameTests {
    @Test func servicesAreNamedAsPeopleWriteThem() {
        let names: [ServiceName: String] = [
            .gateway: "Gateway", .production: "Production", .ppic: "PPIC", .approval: "Approval",
            .warehouse: "Warehouse", .bomfinance: "BOMFinance", .quality: "Quality",
        ]
        for (service, name) in names { #expect(service.displayName == name) }
    }
}
