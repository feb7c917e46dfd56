import Foundation
import ModelGateKit

/// Every registry file kind: decoding never crashes, every diagnostic is positioned inside the file it was
/// given, and an input that yields no value says why.
enum DocumentOracle {
    static func run(_ data: Data, path: String) throws(FuzzViolation) {
        let (document, diagnostics) = RegistryDocument.decode(data, path: path)
        let lines = lineBreaks(in: data) + 1
        for diagnostic in diagnostics {
            guard let location = diagnostic.location, location.path == path else {
                throw FuzzViolation("diagnostic without a position in \(path): \(diagnostic)")
            }
            guard location.line >= 1, location.column >= 1, location.line <= lines + 1 else {
                throw FuzzViolation("position \(location) outside a file of \(lines) lines: \(diagnostic)")
            }
            if diagnostic.message.isEmpty { throw FuzzViolation("empty message at \(location)") }
        }
        if !document.hasValue, !diagnostics.contains(where: { $0.severity == .error }) {
            throw FuzzViolation("\(path) was refused without an error")
        }
    }
}

/// An upper bound on the line breaks YAML sees: LF, CR (CRLF counts twice here), NEL, LS and PS.
func lineBreaks(in data: Data) -> Int {
    let bytes = [UInt8](data)
    var count = 0
    for (index, byte) in bytes.enumerated() {
        switch byte {
        case 0x0A, 0x0D: count += 1
        case 0x85 where index > 0 && bytes[index - 1] == 0xC2: count += 1
        case 0xA8...0xA9 where index > 1 && bytes[index - 2] == 0xE2 && bytes[index - 1] == 0x80: count += 1
        default: break
        }
    }
    return count
}

extension Optional where Wrapped == RegistryDocument {
    /// Whether decoding gave a value (a settings document always does: defaults fill what is missing).
    fileprivate var hasValue: Bool {
        switch self {
        case .settings?: true
        case .policy(let value)?: value != nil
        case .spec(let value)?: value != nil
        case .stages(let value)?: value != nil
        case .manifest(let value)?: value != nil
        case nil: false
        }
    }
}
