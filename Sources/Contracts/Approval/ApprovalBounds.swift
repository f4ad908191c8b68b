/// The bounds of Approval's requests (InputRules.swift says why they exist and who checks them).
extension RequestQuantityChange {
    public var inputProblems: [FieldError] {
        [InputRules.check(newQty, "new_qty", in: 1...InputRules.quantity.upperBound)].compactMap { $0 }
    }
}

extension RequestMaterialDebt {
    /// A positive, finite amount no larger than any quantity Stitch takes.
    public var inputProblems: [FieldError] {
        BoundsRecorder.current?.record("qty", 0, Double(InputRules.quantity.upperBound), whole: false, exclusiveMinimum: true)
        return qty.isFinite && qty > 0 && qty <= Double(InputRules.quantity.upperBound)
            ? []
            : [FieldError(field: "qty", message: "must be greater than 0 and at most \(InputRules.quantity.upperBound)")]
    }
}

extension ListPendingApprovals {
    public var inputProblems: [FieldError] { page.problems }
}

extension ListMaterialDebts {
    public var inputProblems: [FieldError] { page.problems }
}
