/// The bounds of PPIC's requests (InputRules.swift says why they exist and who checks them).
extension GetAlerts {
    public var inputProblems: [FieldError] { [InputRules.check(limit, "limit", in: 1...Self.maxLimit)].compactMap { $0 } }
}

extension GetOnTrackStatus {
    public var inputProblems: [FieldError] { page.problems }
}
