import Foundation
import ModelGateSupport
import ModelGateTestSupport
import Testing

@testable import ModelGateRegistry

/// Opening a command's repository: libgit2's failures become advice a user can act on.
@Suite("opening the registry's repository")
struct RegistryRepositoryTests {
    @Test func aFolderOutsideAnyRepositoryIsBadInputNamingIt() throws {
        let outside = ScratchDirectory()
        for search in [true, false] {
            #expect {
                try RegistryRepository.open(at: outside.path, search: search)
            } throws: { error in
                guard let error = error as? ModelGateError else { return false }
                return error.status == .badInput && error.message.hasPrefix("not a Git repository")
                    && error.message.contains(outside.path)
            }
        }
    }

    @Test func aRepositoryOpensFromASubfolder() throws {
        let fixture = try FixtureRegistry()
        let repository = try RegistryRepository.open(at: fixture.url.appendingPathComponent("models/churn").path)
        #expect(repository.workingDirectory?.path == fixture.url.standardizedFileURL.path)
    }
}
