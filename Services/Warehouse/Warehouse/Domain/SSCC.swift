import Foundation

/// GS1 Serial Shipping Container Codes (SSCC-18): extension digit, company prefix, serial reference,
/// mod-10 check digit. Pure.
enum SSCC {
    enum Problem: Error, Equatable { case badPrefix, serialExhausted }

    /// The GS1 mod-10 check digit of `digits` (weights 3,1,3,… from the right).
    static func checkDigit(_ digits: [Int]) -> Int {
        var sum = 0
        for (offset, digit) in digits.reversed().enumerated() { sum += digit * (offset % 2 == 0 ? 3 : 1) }
        return (10 - sum % 10) % 10
    }

    /// The SSCC for `serial` under `companyPrefix` (7–10 digits).
    static func make(companyPrefix: String, serial: Int64, extensionDigit: Int = 0) throws(Problem) -> String {
        guard (7...10).contains(companyPrefix.count), companyPrefix.allSatisfy(\.isASCIIDigit), (0...9).contains(extensionDigit)
        else { throw .badPrefix }
        let serialWidth = 16 - companyPrefix.count
        let serialText = String(serial)
        guard serial >= 0, serialText.count <= serialWidth else { throw .serialExhausted }
        let body = "\(extensionDigit)\(companyPrefix)\(String(repeating: "0", count: serialWidth - serialText.count))\(serialText)"
        return body + String(checkDigit(body.compactMap(\.wholeNumberValue)))
    }

    static func isValid(_ sscc: String) -> Bool {
        guard sscc.count == 18, sscc.allSatisfy(\.isASCIIDigit) else { return false }
        let digits = sscc.compactMap(\.wholeNumberValue)
        return checkDigit(Array(digits.dropLast())) == digits.last
    }

    /// The SSCC in a scanned barcode: 18 digits, or with its application identifier `00` / `(00)`.
    /// Nil when it is not a valid SSCC.
    static func fromBarcode(_ barcode: String) -> String? {
        var text = barcode.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "")
        if text.hasPrefix("(00)") { text.removeFirst(4) } else if text.count == 20, text.hasPrefix("00") { text.removeFirst(2) }
        return isValid(text) ? text : nil
    }

    /// `(00) 0 0614141 000000001 8` as printed under the barcode.
    static func humanReadable(_ sscc: String) -> String { "(00) \(sscc)" }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
