import Foundation
import ModelGateSupport

/// The platform a bundle's image installs packages for: Linux on x86-64 with glibc, and the CPython
/// version its base image names (`python:3.11.7-slim` is CPython 3.11.7). A lockfile's environment markers
/// are evaluated for it, and its wheels matched against it.
public struct ImagePlatform: Sendable, Equatable {
    public var pythonMajor: Int
    public var pythonMinor: Int
    public var pythonPatch: Int
    /// The newest glibc the image's `manylinux` wheels may need (Debian 12's).
    public var glibc = (major: 2, minor: 36)

    public static func == (lhs: ImagePlatform, rhs: ImagePlatform) -> Bool {
        (lhs.pythonMajor, lhs.pythonMinor, lhs.pythonPatch) == (rhs.pythonMajor, rhs.pythonMinor, rhs.pythonPatch)
    }

    public init(pythonMajor: Int = 3, pythonMinor: Int, pythonPatch: Int = 0) {
        self.pythonMajor = pythonMajor
        self.pythonMinor = pythonMinor
        self.pythonPatch = pythonPatch
    }

    /// The platform of a base image: `python:X.Y[.Z]…` names the CPython version; any other image is
    /// refused, since what it runs is unknown.
    public init(baseImage: String) throws {
        let name = baseImage.split(separator: "@", maxSplits: 1)[0]
        let last = name.split(separator: "/").last.map(String.init) ?? ""
        let parts = last.split(separator: ":", maxSplits: 1)
        let numbers =
            parts.count == 2 && parts[0] == "python"
            ? parts[1].prefix { $0.isNumber || $0 == "." }.split(separator: ".").compactMap { Int($0) } : []
        guard numbers.count >= 2 else {
            throw ModelGateError.badInput(
                "the base image \(Quoted(baseImage)) does not name its Python (python:X.Y…): a lockfile's markers and wheels cannot be matched to it"
            )
        }
        self.init(pythonMajor: numbers[0], pythonMinor: numbers[1], pythonPatch: numbers.count > 2 ? numbers[2] : 0)
    }

    /// PEP 508's environment markers, as the image's interpreter reports them.
    var markers: [String: String] {
        [
            "os_name": "posix", "sys_platform": "linux", "platform_system": "Linux", "platform_machine": "x86_64",
            "platform_python_implementation": "CPython", "implementation_name": "cpython",
            "python_version": "\(pythonMajor).\(pythonMinor)",
            "python_full_version": "\(pythonMajor).\(pythonMinor).\(pythonPatch)",
            "implementation_version": "\(pythonMajor).\(pythonMinor).\(pythonPatch)",
            "platform_release": "", "platform_version": "", "extra": "",
        ]
    }

    /// Whether a distribution file can be installed here: an sdist (pip builds it), or a wheel whose tags
    /// (`{python}-{abi}-{platform}`, each possibly dotted) include one this interpreter accepts.
    func accepts(file name: String) -> Bool {
        if name.hasSuffix(".tar.gz") || name.hasSuffix(".zip") { return true }
        guard name.hasSuffix(".whl") else { return false }
        let parts = name.dropLast(4).split(separator: "-")
        guard parts.count >= 5 else { return false }
        let pythons = parts[parts.count - 3].split(separator: ".").map(String.init)
        let abis = parts[parts.count - 2].split(separator: ".").map(String.init)
        let platforms = parts[parts.count - 1].split(separator: ".").map(String.init)
        let cpython = "cp\(pythonMajor)\(pythonMinor)"
        let pythonOK = pythons.contains { tag in
            tag == cpython || tag == "py\(pythonMajor)" || tag == "py\(pythonMajor)\(pythonMinor)"
                || (abis.contains("abi3") && Self.stableABI(tag, major: pythonMajor, minor: pythonMinor))
        }
        let abiOK = abis.contains { $0 == "none" || $0 == "abi3" || $0 == cpython }
        return pythonOK && abiOK && platforms.contains(where: acceptsPlatform)
    }

    /// `cp3N` with N at most this minor version: the stable ABI carries forward.
    private static func stableABI(_ tag: String, major: Int, minor: Int) -> Bool {
        guard tag.hasPrefix("cp\(major)"), let n = Int(tag.dropFirst(3)) else { return false }
        return n <= minor
    }

    private func acceptsPlatform(_ tag: String) -> Bool {
        if tag == "any" || tag == "linux_x86_64" { return true }
        if ["manylinux1_x86_64", "manylinux2010_x86_64", "manylinux2014_x86_64"].contains(tag) { return true }
        // manylinux_<glibc major>_<glibc minor>_x86_64
        guard tag.hasPrefix("manylinux_"), tag.hasSuffix("_x86_64") else { return false }
        let glibcVersion = tag.dropFirst("manylinux_".count).dropLast("_x86_64".count).split(separator: "_")
        guard glibcVersion.count == 2, let major = Int(glibcVersion[0]), let minor = Int(glibcVersion[1]) else {
            return false
        }
        return (major, minor) <= glibc
    }
}
