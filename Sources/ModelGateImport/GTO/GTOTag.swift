import ModelGateRegistry

/// One of the Git tags GTO writes, parsed: a registration (`NAME@vX.Y.Z`), a deregistration
/// (`NAME@vX.Y.Z!`), a stage assignment (`NAME#STAGE#N`, or `NAME@vX.Y.Z#STAGE` in GTO before 1.0), an
/// unassignment (`NAME#STAGE!#N`), or an artifact's deprecation (`NAME@deprecated`).
enum GTOTag: Equatable {
    case registration(model: String, version: String)
    case deregistration(model: String, version: String)
    /// `number` orders the assignments of one stage (nil in the old format: the tag's date orders them);
    /// `version` is named in the old format, and found from the commit in the new one.
    case assignment(model: String, stage: String, number: Int?, version: String?)
    case unassignment(model: String, stage: String, number: Int)
    case deprecation(model: String)

    var model: String {
        switch self {
        case .registration(let model, _), .deregistration(let model, _), .assignment(let model, _, _, _),
            .unassignment(let model, _, _), .deprecation(let model):
            model
        }
    }

    /// Nil for a tag GTO did not write.
    init?(_ name: String) {
        if let at = name.firstIndex(of: "@") {
            let model = String(name[..<at])
            var rest = String(name[name.index(after: at)...])
            guard !model.isEmpty, !model.contains("#") else { return nil }
            if rest == "deprecated" {
                self = .deprecation(model: model)
                return
            }
            if let hash = rest.firstIndex(of: "#") {
                let stage = String(rest[rest.index(after: hash)...])
                let version = String(rest[..<hash])
                guard let number = Self.version(version), !stage.isEmpty, !stage.contains("#") else { return nil }
                self = .assignment(model: model, stage: stage, number: nil, version: number)
                return
            }
            let deregisters = rest.hasSuffix("!")
            if deregisters { rest.removeLast() }
            guard let version = Self.version(rest) else { return nil }
            self =
                deregisters
                ? .deregistration(model: model, version: version) : .registration(model: model, version: version)
            return
        }
        let parts = name.split(separator: "#", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty, let number = Int(parts[2]) else { return nil }
        if parts[1].hasSuffix("!") {
            self = .unassignment(model: parts[0], stage: String(parts[1].dropLast()), number: number)
        } else {
            self = .assignment(model: parts[0], stage: parts[1], number: number, version: nil)
        }
    }

    /// `vX.Y.Z` as the SemVer modelgate records (`X.Y.Z`); nil where it is not one.
    static func version(_ text: String) -> String? {
        guard text.hasPrefix("v"), SemanticVersion(String(text.dropFirst())) != nil else { return nil }
        return String(text.dropFirst())
    }
}
