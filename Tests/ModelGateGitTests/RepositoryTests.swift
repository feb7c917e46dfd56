import Foundation
import ModelGateSupport
import ModelGateTestSupport
import Testing

@testable import ModelGateGit

@Suite("Git layer")
struct RepositoryTests {
    @Test func opensFromASubfolderAndRefusesANonRepository() throws {
        let fixture = try FixtureRegistry()
        let repository = try Repository.open(at: fixture.url.appendingPathComponent("models/churn").path)
        #expect(repository.workingDirectory?.path == fixture.url.standardizedFileURL.path)
        let outside = ScratchDirectory()
        #expect {
            try Repository.open(at: outside.path)
        } throws: { error in
            (error as? GitError)?.isNotFound == true
        }
    }

    @Test func resolvesRevisionsLikeRevParse() throws {
        let fixture = try FixtureRegistry()
        let first = try fixture.git("rev-parse", "HEAD")
        try fixture.write("README.md", "registry\n")
        let second = try fixture.commit("second")
        _ = try fixture.git("tag", "v1", first)
        _ = try fixture.git("tag", "-a", "v2", "-m", "annotated", second)
        _ = try fixture.git("branch", "feature", first)
        let repository = try fixture.repository()
        for (revision, expected) in [
            ("HEAD", second), ("main", second), ("HEAD~1", first), ("HEAD^", first), ("v1", first), ("v2", second),
            ("feature", first), (String(first.prefix(7)), first), (first, first), ("refs/heads/main", second),
        ] {
            #expect(try repository.resolveCommit(revision).hex == expected, "\(revision)")
            #expect(try repository.resolveCommit(revision).short == String(expected.prefix(7)), "\(revision)")
        }
        #expect {
            try repository.resolveCommit("no-such-branch")
        } throws: { error in
            (error as? ModelGateError)?.message == "unknown revision 'no-such-branch'"
        }
        #expect(throws: ModelGateError.self) { try repository.resolveCommit("HEAD~99") }
    }

    @Test func readsBlobsAndTreesWithoutACheckout() throws {
        let fixture = try FixtureRegistry()
        try fixture.write("models/churn/stages.yaml", FixtureRegistry.stages(["production": "1.1.0"]))
        try fixture.commit("promote")
        try fixture.write("models/churn/stages.yaml", "uncommitted garbage")
        let repository = try fixture.repository()
        let head = try repository.resolveCommit("HEAD")
        let blob = try #require(try repository.blobID(at: "models/churn/stages.yaml", inCommit: head))
        #expect(String(decoding: try repository.blob(blob), as: UTF8.self).contains("production: 1.1.0"))
        #expect(try repository.blobSize(blob) == FixtureRegistry.stages(["production": "1.1.0"]).utf8.count)
        let old = try repository.resolveCommit("HEAD~1")
        let oldBlob = try #require(try repository.blobID(at: "models/churn/stages.yaml", inCommit: old))
        #expect(String(decoding: try repository.blob(oldBlob), as: UTF8.self).contains("production: 1.0.0"))
        #expect(try repository.blobID(at: "models/nope.yaml", inCommit: head) == nil)
        let root = try repository.treeID(ofCommit: head)
        let names = try repository.entries(ofTree: root).map(\.name)
        #expect(names == ["modelgate.yaml", "models", "policies"])
    }

    @Test func listsChangedPathsBetweenCommits() throws {
        let fixture = try FixtureRegistry()
        let base = try fixture.git("rev-parse", "HEAD")
        try fixture.write("models/churn/stages.yaml", FixtureRegistry.stages(["production": "1.1.0"]))
        try fixture.write("models/fraud/model.yaml", "x: 1\n")
        try fixture.remove("policies/production-gate.yaml")
        let head = try fixture.commit("change")
        let repository = try fixture.repository()
        let from = try repository.resolveCommit(base)
        let to = try repository.resolveCommit(head)
        #expect(
            try repository.changedPaths(from: from, to: to) == [
                "models/churn/stages.yaml", "models/fraud/model.yaml", "policies/production-gate.yaml",
            ])
        #expect(
            try repository.changedPaths(from: from, to: to, under: "models") == [
                "models/churn/stages.yaml", "models/fraud/model.yaml",
            ])
        #expect(try repository.changedPaths(from: to, to: to).isEmpty)
    }

    @Test func walksFirstParentChangesOfOnePath() throws {
        let fixture = try FixtureRegistry()
        let path = "models/churn/stages.yaml"
        try fixture.write("README.md", "unrelated\n")
        try fixture.commit("unrelated")
        try fixture.write(path, FixtureRegistry.stages(["production": "1.1.0"]))
        try fixture.commit("promote 1.1.0", author: "Ada <ada@example.com>")
        // A side branch whose own commits must not appear: only its merge does.
        _ = try fixture.git("checkout", "-q", "-b", "side")
        try fixture.write(path, FixtureRegistry.stages(["production": "1.0.0"]))
        try fixture.commit("side change")
        _ = try fixture.git("checkout", "-q", "main")
        try fixture.write("other.txt", "x\n")
        try fixture.commit("main moves on")
        _ = try fixture.git("merge", "-q", "--no-ff", "-m", "merge side", "side")
        let repository = try fixture.repository()
        let changes = try repository.firstParentChanges(of: path, from: repository.resolveCommit("HEAD"))
        #expect(changes.map(\.commit.summary) == ["merge side", "promote 1.1.0", "Create registry"])
        #expect(changes[1].commit.author.name == "Ada")
        #expect(changes.last?.previousBlob == nil)
    }

    /// The commit-graph file gives each commit's tree and first parent as the commit objects do; a commit
    /// newer than the file is read from the object database, and a file whose checksum fails is not used.
    @Test func readsTheCommitGraphFileGitWrites() throws {
        let fixture = try FixtureRegistry()
        let path = "models/churn/stages.yaml"
        for version in ["1.1.0", "1.0.0"] {
            try fixture.write(path, FixtureRegistry.stages(["production": version]))
            try fixture.commit("promote \(version)")
        }
        _ = try fixture.git("commit-graph", "write", "--reachable")
        try fixture.write(path, FixtureRegistry.stages(["production": "1.1.0"]))
        try fixture.commit("after the graph")
        let repository = try fixture.repository()
        let objects = repository.gitDirectory.appendingPathComponent("objects")
        let graph = try #require(CommitGraph(objects: objects, shallow: false))
        for ref in ["HEAD~1", "HEAD~2", "HEAD~3"] {
            let commit = try repository.resolveCommit(ref)
            let listed = try #require(graph.treeAndFirstParent(of: commit))
            #expect(listed.tree == (try repository.treeID(ofCommit: commit)))
            #expect(listed.parent == (try? repository.resolveCommit("\(ref)~1")))
        }
        #expect(graph.treeAndFirstParent(of: try repository.resolveCommit("HEAD")) == nil)
        #expect(CommitGraph(objects: objects, shallow: true) == nil)
        let walked = try repository.firstParentChanges(of: path, from: repository.resolveCommit("HEAD"))
        #expect(
            walked.map(\.commit.summary) == ["after the graph", "promote 1.0.0", "promote 1.1.0", "Create registry"])
        // One byte changed: the checksum fails, the file is ignored, the walk reads the commits instead.
        let file = objects.appendingPathComponent("info/commit-graph")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        var bytes = try Data(contentsOf: file)
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: file)
        #expect(CommitGraph(objects: objects, shallow: false) == nil)
        let again = try repository.firstParentChanges(of: path, from: repository.resolveCommit("HEAD"))
        #expect(again.map(\.commit.summary) == walked.map(\.commit.summary))
    }

    @Test(arguments: [
        ("refs/heads/modelgate/promote-churn-1.3.0", true), ("refs/heads/main", true), ("refs/tags/v1", false),
        ("refs/heads/a..b", false), ("refs/heads/x.lock", false), ("refs/heads/.hidden", false),
        ("refs/heads/a//b", false), ("refs/heads/a b", false), ("refs/heads/a~1", false), ("refs/heads/", false),
        ("refs/heads/ünï", false),
    ])
    func branchNamesFollowGitAndASafeAlphabet(_ name: String, _ valid: Bool) {
        #expect(ReferenceName.isValidBranch(name) == valid, "\(name)")
    }

    @Test func createsCommitsWithCompareAndSwap() throws {
        let fixture = try FixtureRegistry()
        let repository = try fixture.repository()
        let tip = try repository.resolveCommit("HEAD")
        let author = Signature(name: "Bot", email: "bot@example.com")
        let change = FileChange(
            path: "models/churn/stages.yaml", contents: Data(FixtureRegistry.stages(["production": "1.1.0"]).utf8))
        let first = try repository.createCommit(
            changing: [change], parent: tip, message: "one\n", author: author, committer: author)
        let second = try repository.createCommit(
            changing: [FileChange(path: "notes/a.txt", contents: Data("a".utf8))], parent: tip, message: "two\n",
            author: author, committer: author)
        try repository.updateReference("refs/heads/main", to: first, expecting: tip, log: "test")
        #expect {
            try repository.updateReference("refs/heads/main", to: second, expecting: tip, log: "test")
        } throws: { error in
            (error as? GitError)?.isConcurrentUpdate == true
        }
        #expect(try repository.resolveCommit("main") == first)
        #expect(try repository.changedPaths(from: tip, to: first) == ["models/churn/stages.yaml"])
        // A new branch is created only when it does not exist.
        try repository.updateReference("refs/heads/promote", to: second, expecting: nil, log: "test")
        #expect(throws: GitError.self) {
            try repository.updateReference("refs/heads/promote", to: first, expecting: nil, log: "test")
        }
        #expect(try fixture.git("fsck", "--strict", "--no-dangling").isEmpty)
    }

    @Test func syncsTheWorkingTreeAndIndexOfTheCheckedOutBranch() throws {
        let fixture = try FixtureRegistry()
        let repository = try fixture.repository()
        let tip = try repository.resolveCommit("HEAD")
        let path = "models/churn/stages.yaml"
        #expect(try repository.currentBranch() == "refs/heads/main")
        #expect(try !repository.hasUncommittedChanges(at: path))
        let author = Signature(name: "Bot", email: "bot@example.com")
        let commit = try repository.createCommit(
            changing: [FileChange(path: path, contents: Data(FixtureRegistry.stages(["production": "1.1.0"]).utf8))],
            parent: tip, message: "promote\n", author: author, committer: author)
        try repository.updateReference("refs/heads/main", to: commit, expecting: tip, log: "test")
        try repository.syncWorkingTree(paths: [path], toCommit: commit)
        #expect(try fixture.git("status", "--porcelain").isEmpty)
        #expect(try fixture.read(path).contains("production: 1.1.0"))
        try fixture.write(path, "dirty\n")
        #expect(try repository.hasUncommittedChanges(at: path))
    }

    @Test func readsCommitMetadata() throws {
        let fixture = try FixtureRegistry()
        try fixture.write("x", "1")
        let id = try fixture.commit(
            "Subject line\n\nBody", author: "Grace Hopper <grace@example.com>", date: "2026-03-03T12:00:00Z")
        let repository = try fixture.repository()
        let info = try repository.commit(try repository.resolveCommit(id))
        #expect(info.summary == "Subject line")
        #expect(info.author.name == "Grace Hopper")
        #expect(info.author.email == "grace@example.com")
        #expect(Dates.format(info.author.date) == "2026-03-03T12:00:00Z")
        #expect(info.parents.count == 1)
    }
}
