import Foundation
import FoundationXML
import ModelGateKit

/// The policy evaluator on an arbitrary candidate manifest (read as `models/fuzz/versions/2.0.0.yaml`,
/// entering `production` where 1.0.0 is the baseline), under policies that use every rule kind; then every
/// report format. The machine-readable reports must stay well-formed whatever the manifest holds, and a
/// candidate whose manifest does not decode never passes.
enum GateOracle {
    static let policies: [Policy] = [
        fixture { try policy("quality", Fixtures.qualityPolicy) },
        fixture { try policy("production-gate", Fixtures.gatePolicy) },
    ]
    static let spec = decode(Fixtures.spec, path: "models/fuzz/model.yaml")
    static let baseline = decode(Fixtures.baseline, path: "models/fuzz/versions/1.0.0.yaml")
    static let baseStages = stagesDocument(production: "1.0.0")
    static let headStages = stagesDocument(production: "2.0.0")
    // Force unwrap: a literal 40-digit hex id.
    static let commit = ObjectID(hex: String(repeating: "ab", count: 20))!

    static func run(_ data: Data) throws(FuzzViolation) {
        let path = "models/fuzz/versions/2.0.0.yaml"
        let (document, diagnostics) = RegistryDocument.decode(data, path: path)
        guard case .manifest(let candidate?)? = document, candidate.version.description == "2.0.0" else { return }
        guard case .spec(let spec?)? = spec, case .manifest(let baseline?)? = baseline,
            case .stages(let baseStages?)? = baseStages, case .stages(let headStages?)? = headStages
        else { throw FuzzViolation("the fixed registry does not decode") }
        func registry(_ versions: [ModelVersion], _ stages: StageAssignments, _ diagnostics: [Diagnostic]) -> Registry {
            let model = Registry.Model(
                name: "fuzz", spec: spec,
                versions: Dictionary(uniqueKeysWithValues: versions.map { ($0.version.description, $0) }),
                stages: stages)
            return Registry(
                commit: commit, settings: RegistrySettings(), models: ["fuzz": model], policies: policies,
                diagnostics: diagnostics)
        }
        let head = registry([baseline, candidate], headStages, diagnostics)
        var gate = Gate(
            head: head, base: registry([baseline], baseStages, []), rules: TrustedRules(of: head),
            evidence: StaticEvidence())
        gate.now = Date(timeIntervalSince1970: 1_795_000_000)
        let report = gate.evaluate([
            Gate.Candidate(model: "fuzz", version: "2.0.0", stage: "production", fromVersion: "1.0.0")
        ])
        if diagnostics.contains(where: { $0.severity == .error }), report.verdict == .pass {
            throw FuzzViolation("a manifest with errors passed the gate")
        }
        for reporter in GateReporters.all {
            let text = reporter.render(report, color: false)
            switch reporter.format {
            case .json, .sarif:
                guard (try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil else {
                    throw FuzzViolation("the \(reporter.format) report is not JSON")
                }
            case .junit:
                let parser = XMLParser(data: Data(text.utf8))
                guard parser.parse() else {
                    throw FuzzViolation("the JUnit report is not XML: \(parser.parserError.map { "\($0)" } ?? "")")
                }
            case .github:
                let lines = text.utf8.split(separator: 0x0A).map { String(decoding: $0, as: UTF8.self) }
                for line in lines.dropLast() where !isWorkflowCommand(line) {
                    throw FuzzViolation("a line that is not one workflow command: \(line)")
                }
                guard lines.last?.hasPrefix("modelgate: ") == true else { throw FuzzViolation("no summary line") }
            default: break
            }
        }
    }

    /// `::command file=…,line=…,col=…,title=…::message`, with `:`, `,`, `%`, CR and LF escaped in properties
    /// and CR escaped in the message.
    static func isWorkflowCommand(_ line: String) -> Bool {
        guard let command = ["::error ", "::warning ", "::notice "].first(where: line.hasPrefix) else { return false }
        let rest = line.dropFirst(command.count)
        guard let end = rest.range(of: "::") else { return false }
        return !rest[..<end.lowerBound].contains(":") && !line.contains("\r")
    }

    static func decode(_ text: String, path: String) -> RegistryDocument? {
        RegistryDocument.decode(Data(text.utf8), path: path).document
    }

    static func stagesDocument(production: String) -> RegistryDocument? {
        decode(
            StageAssignments.render(
                model: "fuzz", stages: ["production": production], ladder: RegistrySettings.defaultStages),
            path: "models/fuzz/stages.yaml")
    }

    static func policy(_ name: String, _ text: String) throws(FuzzViolation) -> Policy {
        guard case .policy(let policy?)? = decode(text, path: "policies/\(name).yaml") else {
            throw FuzzViolation("the fixed policy \(name) does not decode")
        }
        return policy
    }
}
