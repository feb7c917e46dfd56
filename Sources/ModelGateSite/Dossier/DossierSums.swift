import Crypto
import Foundation
import ModelGateGate
import ModelGateRegistry
import ModelGateSupport

/// `SHA256SUMS` of a dossier, in `sha256sum`'s format (`sha256sum --check` reads it), and its check.
public enum DossierSums {
    /// `<sha256>  <path>\n` for every file but the sums and their signature, sorted by path.
    static func list(_ files: [String: Data]) -> Data {
        let lines = files.keys.sorted().filter { $0 != Dossier.sumsFile && $0 != Dossier.signatureFile }.map {
            // Force unwrap: the paths are the keys of `files`.
            "\(Hex.encode(SHA256.hash(data: files[$0]!)))  \($0)\n"
        }
        return Data(lines.joined().utf8)
    }

    /// A dossier checked: what is wrong with it, and who signed it.
    public struct Check: Sendable {
        /// A file whose bytes differ from its line, a listed file that is missing, a file the list does not
        /// name, a malformed line, a signature no trusted key made. Empty: the dossier is whole.
        public var problems: [String] = []
        /// The names of the trusted keys that signed `SHA256SUMS` (empty: unsigned, or no trusted signer).
        public var signers: [String] = []
        /// Whether the folder holds a signature at all.
        public var signed = false
    }

    /// Checks the dossier in `folder`: every file against `SHA256SUMS`, and the signature over it, if there
    /// is one, against `keys` (named).
    public static func check(_ folder: URL, keys: [(name: String, key: VerifyingKey)]) throws -> Check {
        var check = Check()
        check.problems = try problems(in: folder)
        let signatureURL = folder.appendingPathComponent(Dossier.signatureFile)
        guard let signature = try? RegularFile.read(signatureURL.path),
            let sums = try? RegularFile.read(folder.appendingPathComponent(Dossier.sumsFile).path)
        else { return check }
        check.signed = true
        switch DSSEEnvelope.decode(signature) {
        case .failure(let problem):
            check.problems.append("\(Dossier.signatureFile) is not a DSSE envelope: \(problem)")
        case .success(let envelope):
            if envelope.payloadType != Dossier.payloadType || envelope.payload != sums {
                check.problems.append("\(Dossier.signatureFile) signs another list than \(Dossier.sumsFile)")
                return check
            }
            check.signers = keys.filter { key in
                envelope.signatures.contains { key.key.isValid($0.signature, for: envelope.signedBytes) }
            }.map(\.name)
            if check.signers.isEmpty { check.problems.append("no trusted key signed \(Dossier.signatureFile)") }
        }
        return check
    }

    /// What is wrong with the files of the dossier in `folder` against its `SHA256SUMS`.
    static func problems(in folder: URL) throws -> [String] {
        let sumsURL = folder.appendingPathComponent(Dossier.sumsFile)
        guard let sums = try? RegularFile.read(sumsURL.path) else {
            return ["\(folder.path) has no \(Dossier.sumsFile): it is not a dossier modelgate wrote"]
        }
        var problems: [String] = []
        var listed = Set<String>()
        for (number, line) in String(decoding: sums, as: UTF8.self).split(separator: "\n").enumerated() {
            let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, parts[1].isEmpty, Hex.isLowercase(String(parts[0]), count: 64),
                case let path = String(parts[2]), RepositoryPath.problem(path) == nil
            else {
                problems.append("\(Dossier.sumsFile):\(number + 1): not `<sha256>  <path>`")
                continue
            }
            listed.insert(path)
            guard let data = try? RegularFile.read(folder.appendingPathComponent(path).path) else {
                problems.append("\(path) is listed but missing")
                continue
            }
            if Hex.encode(SHA256.hash(data: data)) != parts[0] { problems.append("\(path) differs from its sha256") }
        }
        for path in try files(under: folder) where !listed.contains(path) {
            if path != Dossier.sumsFile && path != Dossier.signatureFile {
                problems.append("\(path) is not listed in \(Dossier.sumsFile)")
            }
        }
        return problems
    }

    /// Every regular file under `folder`, by relative path.
    private static func files(under folder: URL) throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else { return [] }
        var paths: [String] = []
        while let path = enumerator.nextObject() as? String {
            var isFolder: ObjCBool = false
            FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isFolder)
            if !isFolder.boolValue { paths.append(path) }
        }
        return paths.sorted()
    }
}
