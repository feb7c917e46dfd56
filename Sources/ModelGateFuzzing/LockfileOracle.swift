import Foundation
import ModelGateKit

/// The training lockfile as `bundle` reads it, in each of its formats: a pull request writes it, and what
/// is accepted lands in the image's `requirements.txt`. Any bytes are refused with a message or read into
/// pins whose names, versions and hashes cannot carry anything but themselves into that file.
enum LockfileOracle {
    /// The input's first byte picks the format (by the file name it is read under); the rest is the text.
    static let names = ["requirements.lock", "Pipfile.lock", "uv.lock", "poetry.lock"]

    /// Under libFuzzer only the requirements and Pipfile.lock readers are fuzzed: the TOML parser inside
    /// TOMLKit (toml++ 3) stops the process on internal assertions for some malformed documents (two shapes
    /// found here are refused before it, see `Lockfile.toml`; their regressions run in the tests), and a
    /// fuzz pass would keep finding that upstream behaviour rather than ours.
    #if MODELGATE_LIBFUZZER
        static let fuzzedFormats = 2
    #else
        static let fuzzedFormats = 4
    #endif

    static func run(_ data: Data) throws(FuzzViolation) {
        guard let first = data.first, Int(first) % names.count < fuzzedFormats else { return }
        let path = "training/fuzz/" + names[Int(first) % names.count]
        let text = String(decoding: data.dropFirst(), as: UTF8.self)
        guard let lockfile = try? Lockfile.read(text, path: path, baseImage: "python:3.11.7-slim") else { return }
        for requirement in lockfile.requirements {
            let line = requirement.line
            guard !line.contains("\n"), !line.contains("\r"), !line.hasPrefix("-"),
                line.split(separator: " ").count == 1 + requirement.hashes.count,
                requirement.hashes.allSatisfy({ $0.count == 64 && $0.allSatisfy(\.isHexDigit) })
            else {
                throw FuzzViolation(
                    "\(path): the accepted requirement \(line.debugDescription) could break out of its line")
            }
        }
    }

    /// One small lock of each format.
    static let seeds: [(String, String)] = [
        ("requirements", "\u{0}numpy==2.4.6 --hash=sha256:\(String(repeating: "a", count: 64))\n"),
        (
            "pipfile",
            "\u{1}{\"_meta\": {\"sources\": [{\"url\": \"https://pypi.org/simple\"}]}, \"default\": {\"numpy\": {\"version\": \"==2.4.6\", \"markers\": \"python_version >= '3.11'\", \"hashes\": [\"sha256:\(String(repeating: "b", count: 64))\"]}}}"
        ),
        (
            "uv",
            """
            \u{2}version = 1
            [[package]]
            name = "p"
            version = "0.1.0"
            source = { virtual = "." }
            dependencies = [{ name = "numpy", marker = "sys_platform == 'linux'" }]
            [[package]]
            name = "numpy"
            version = "2.4.6"
            source = { registry = "https://pypi.org/simple" }
            wheels = [{ url = "https://x/numpy-2.4.6-cp311-cp311-manylinux_2_17_x86_64.whl", hash = "sha256:\(String(repeating: "c", count: 64))" }]
            """
        ),
        (
            "poetry",
            """
            \u{3}[[package]]
            name = "numpy"
            version = "2.4.6"
            groups = ["main"]
            markers = "python_version >= \\"3.11\\""
            files = [{file = "numpy-2.4.6-py3-none-any.whl", hash = "sha256:\(String(repeating: "d", count: 64))"}]
            """
        ),
    ]
}
