import Foundation
import ModelGateSupport
import Testing

@testable import ModelGateRegistry

/// Pipfile.lock, uv.lock and poetry.lock read for an image's platform: markers evaluated, wheels matched,
/// and every source that is not PyPI refused with its line. (The tests against locks the real tools write
/// are in ModelGateCLITests.)
@Suite("Lockfile formats")
struct LockfileFormatTests {
    let platform = ImagePlatform(pythonMinor: 11, pythonPatch: 7)
    static let a = String(repeating: "a", count: 64)
    static let b = String(repeating: "b", count: 64)
    static let c = String(repeating: "c", count: 64)

    @Test(arguments: [
        ("python_version >= '3.8'", true), ("python_version < \"3.11\"", false), ("sys_platform == 'win32'", false),
        ("sys_platform == 'linux' and platform_machine == 'x86_64'", true),
        ("(python_version < '3.9' or os_name == 'posix') and extra == 'docs'", false),
        ("python_full_version >= '3.11.7'", true), ("python_full_version > '3.11.7'", false),
        ("python_version == '3.*'", true), ("python_version ~= '3.10'", true), ("'linux' in sys_platform", true),
        ("platform_system not in 'Windows Darwin'", true), ("implementation_name == 'pypy'", false),
    ])
    func markersAreEvaluatedForTheImage(_ marker: String, _ expected: Bool) throws {
        #expect(try EnvironmentMarker.evaluate(marker, in: platform.markers) == expected)
    }

    @Test(arguments: ["python_version >=", "unknown_variable == '1'", "(python_version == '3.11'", "a b c"])
    func anUnreadableMarkerIsAnError(_ marker: String) {
        #expect(throws: (any Error).self) { try EnvironmentMarker.evaluate(marker, in: platform.markers) }
    }

    @Test(arguments: [
        ("numpy-2.4.6-cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl", true),
        ("numpy-2.4.6-cp312-cp312-manylinux_2_27_x86_64.whl", false),
        ("numpy-2.4.6-cp311-cp311-manylinux_2_39_x86_64.whl", false),
        ("numpy-2.4.6-cp311-cp311-musllinux_1_2_x86_64.whl", false),
        ("numpy-2.4.6-cp311-cp311-macosx_14_0_arm64.whl", false),
        ("numpy-2.4.6-cp311-cp311-manylinux2014_aarch64.whl", false),
        ("numpy-2.4.6-cp311-cp311-win_amd64.whl", false), ("six-1.16.0-py2.py3-none-any.whl", true),
        ("cryptography-46.0.0-cp39-abi3-manylinux_2_28_x86_64.whl", true), ("numpy-2.4.6.tar.gz", true),
    ])
    func wheelsAreMatchedToTheImage(_ file: String, _ expected: Bool) {
        #expect(platform.accepts(file: file) == expected)
    }

    @Test func theBaseImageNamesThePython() throws {
        #expect(
            try ImagePlatform(baseImage: "python:3.12.4-slim@sha256:\(Self.a)")
                == ImagePlatform(pythonMinor: 12, pythonPatch: 4))
        #expect(try ImagePlatform(baseImage: "docker.io/library/python:3.11") == ImagePlatform(pythonMinor: 11))
        #expect(throws: ModelGateError.self) { try ImagePlatform(baseImage: "debian:12-slim") }
    }

    static let pipfileLock = """
        {
            "_meta": {"sources": [{"name": "pypi", "url": "https://pypi.org/simple", "verify_ssl": true}]},
            "default": {
                "colorama": {
                    "hashes": ["sha256:\(a)"],
                    "markers": "sys_platform == 'win32'",
                    "version": "==0.4.6"
                },
                "numpy": {
                    "hashes": ["sha256:\(b)", "sha256:\(c)"],
                    "index": "pypi",
                    "markers": "python_version >= '3.11'",
                    "version": "==2.4.6"
                }
            },
            "develop": {"pytest": {"hashes": ["sha256:\(a)"], "version": "==8.0.0"}}
        }
        """

    @Test func pipfileLockKeepsTheDefaultSectionForTheImage() throws {
        let lock = try Lockfile.read(Self.pipfileLock, path: "training/Pipfile.lock", baseImage: "python:3.11.7-slim")
        #expect(lock.requirements.map(\.line) == ["numpy==2.4.6 --hash=sha256:\(Self.b) --hash=sha256:\(Self.c)"])
    }

    @Test func pipfileLockRefusesACustomIndexAndAGitSource() {
        let custom = Self.pipfileLock.replacingOccurrences(
            of: "https://pypi.org/simple", with: "https://packages.internal.example/simple")
        #expect(
            message { try Lockfile.read(custom, path: "Pipfile.lock", baseImage: "python:3.11") }
                == "Pipfile.lock:2: source 'https://packages.internal.example/simple' is a custom index; a bundle installs from PyPI only"
        )
        let git = Self.pipfileLock.replacingOccurrences(
            of: "\"index\": \"pypi\",", with: "\"git\": \"https://github.com/numpy/numpy.git\",")
        #expect(
            message { try Lockfile.read(git, path: "Pipfile.lock", baseImage: "python:3.11") }?.hasPrefix(
                "Pipfile.lock:9: numpy comes from a git source") == true)
    }

    static let uvLock = """
        version = 1
        requires-python = ">=3.11"

        [[package]]
        name = "trainer"
        version = "0.1.0"
        source = { virtual = "." }
        dependencies = [
            { name = "colorama", marker = "sys_platform == 'win32'" },
            { name = "scikit-learn", extra = ["parallel"] },
        ]

        [[package]]
        name = "colorama"
        version = "0.4.6"
        source = { registry = "https://pypi.org/simple" }
        wheels = [{ url = "https://files.example/colorama-0.4.6-py2.py3-none-any.whl", hash = "sha256:\(a)" }]

        [[package]]
        name = "scikit-learn"
        version = "1.9.1"
        source = { registry = "https://pypi.org/simple" }
        dependencies = [{ name = "numpy" }]
        sdist = { url = "https://files.example/scikit_learn-1.9.1.tar.gz", hash = "sha256:\(a)" }
        wheels = [
            { url = "https://files.example/scikit_learn-1.9.1-cp311-cp311-manylinux_2_17_x86_64.whl", hash = "sha256:\(b)" },
            { url = "https://files.example/scikit_learn-1.9.1-cp311-cp311-win_amd64.whl", hash = "sha256:\(c)" },
        ]

        [package.optional-dependencies]
        parallel = [{ name = "joblib" }]

        [[package]]
        name = "numpy"
        version = "2.4.6"
        source = { registry = "https://pypi.org/simple" }
        wheels = [
            { url = "https://files.example/numpy-2.4.6-cp311-cp311-manylinux_2_27_x86_64.whl", hash = "sha256:\(c)" },
        ]

        [[package]]
        name = "joblib"
        version = "1.6.0"
        source = { registry = "https://pypi.org/simple" }
        wheels = [{ url = "https://files.example/joblib-1.6.0-py3-none-any.whl", hash = "sha256:\(b)" }]

        [[package]]
        name = "unused"
        version = "1.0.0"
        source = { registry = "https://pypi.org/simple" }
        wheels = [{ url = "https://files.example/unused-1.0.0-py3-none-any.whl", hash = "sha256:\(b)" }]
        """

    @Test func uvLockFollowsTheProjectsEdgesForTheImage() throws {
        let lock = try Lockfile.read(Self.uvLock, path: "uv.lock", baseImage: "python:3.11.7-slim")
        #expect(
            lock.requirements.map(\.line) == [
                "joblib==1.6.0 --hash=sha256:\(Self.b)", "numpy==2.4.6 --hash=sha256:\(Self.c)",
                "scikit-learn==1.9.1 --hash=sha256:\(Self.a) --hash=sha256:\(Self.b)",
            ])
    }

    @Test func uvLockRefusesOtherSourcesAndPackagesWithoutAWheelForTheImage() {
        let git = Self.uvLock.replacingOccurrences(
            of: "name = \"numpy\"\nversion = \"2.4.6\"\nsource = { registry = \"https://pypi.org/simple\" }",
            with: "name = \"numpy\"\nversion = \"2.4.6\"\nsource = { git = \"https://github.com/numpy/numpy?rev=abc\" }"
        )
        #expect(
            message { try Lockfile.read(git, path: "uv.lock", baseImage: "python:3.11") }
                == "uv.lock:34: numpy comes from a git source; a bundle installs released packages from PyPI only")
        let index = Self.uvLock.replacingOccurrences(
            of: "name = \"joblib\"\nversion = \"1.6.0\"\nsource = { registry = \"https://pypi.org/simple\" }",
            with: "name = \"joblib\"\nversion = \"1.6.0\"\nsource = { registry = \"https://mirror.example/simple\" }")
        #expect(
            message { try Lockfile.read(index, path: "uv.lock", baseImage: "python:3.11") }?.hasPrefix(
                "uv.lock:42: joblib comes from 'https://mirror.example/simple', a custom index") == true)
        let windowsOnly = Self.uvLock.replacingOccurrences(
            of: "cp311-cp311-manylinux_2_27_x86_64", with: "cp311-cp311-win_amd64")
        #expect(
            message { try Lockfile.read(windowsOnly, path: "uv.lock", baseImage: "python:3.11") }
                == "uv.lock:34: numpy 2.4.6 has no sha256 hash for a distribution the image can install (CPython on Linux x86-64)"
        )
    }

    static let poetryLock = """
        # This file is automatically @generated by Poetry 2.5.1 and should not be changed by hand.

        [[package]]
        name = "colorama"
        version = "0.4.6"
        groups = ["main"]
        markers = "sys_platform == \\"win32\\""
        files = [{file = "colorama-0.4.6-py2.py3-none-any.whl", hash = "sha256:\(a)"}]

        [[package]]
        name = "numpy"
        version = "2.4.6"
        groups = ["main"]
        files = [
            {file = "numpy-2.4.6-cp311-cp311-manylinux_2_27_x86_64.whl", hash = "sha256:\(b)"},
            {file = "numpy-2.4.6-cp312-cp312-manylinux_2_27_x86_64.whl", hash = "sha256:\(c)"},
        ]

        [[package]]
        name = "pytest"
        version = "8.0.0"
        groups = ["dev"]
        files = [{file = "pytest-8.0.0-py3-none-any.whl", hash = "sha256:\(a)"}]

        [metadata]
        lock-version = "2.1"
        python-versions = ">=3.11,<4"
        """

    @Test func poetryLockKeepsTheMainGroupForTheImage() throws {
        let lock = try Lockfile.read(Self.poetryLock, path: "poetry.lock", baseImage: "python:3.11.7-slim")
        #expect(lock.requirements.map(\.line) == ["numpy==2.4.6 --hash=sha256:\(Self.b)"])
    }

    @Test func poetryLockRefusesOtherSourcesAndReportsTOMLErrorsWithTheirPosition() {
        let git = Self.poetryLock.replacingOccurrences(
            of: "[[package]]\nname = \"pytest\"",
            with:
                "[package.source]\ntype = \"git\"\nurl = \"https://github.com/numpy/numpy.git\"\n\n[[package]]\nname = \"pytest\""
        )
        #expect(
            message { try Lockfile.read(git, path: "poetry.lock", baseImage: "python:3.11") }
                == "poetry.lock:11: numpy comes from a git source (https://github.com/numpy/numpy.git); a bundle installs released packages from PyPI only"
        )
        let broken = Self.poetryLock.replacingOccurrences(of: "version = \"2.4.6\"", with: "version = 2.4.6\"")
        #expect(
            message { try Lockfile.read(broken, path: "poetry.lock", baseImage: "python:3.11") }?.hasPrefix(
                "poetry.lock:12:") == true)
    }

    @Test func theFormatIsRecognisedByName() {
        #expect(Lockfile.Format(path: "training/churn/Pipfile.lock") == .pipfileLock)
        #expect(Lockfile.Format(path: "uv.lock") == .uvLock)
        #expect(Lockfile.Format(path: "a/poetry.lock") == .poetryLock)
        #expect(Lockfile.Format(path: "training/churn/requirements.lock") == .requirements)
        #expect(Lockfile.Format(path: "requirements") == .requirements)
    }

    func message(_ body: () throws -> Lockfile) -> String? {
        do {
            _ = try body()
            return nil
        } catch {
            return (error as? ModelGateError)?.message ?? "\(error)"
        }
    }
}
