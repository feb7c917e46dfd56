import ModelGateSupport
import Testing

@testable import ModelGateRegistry

@Suite("Names and paths")
struct NamesTests {
    @Test(arguments: ["churn", "a", "fraud-detector-v2", "x1", String(repeating: "a", count: 63)])
    func acceptsModelNames(_ name: String) {
        #expect(Names.isValid(name))
    }

    @Test(arguments: [
        "", "Churn", "1churn", "churn-", "-churn", "ch_urn", "ch urn", "churn\"", "churn'", "$(rm -rf /)", "a;b",
        "a`b`",
        "${x}", "chürn", "сhurn", String(repeating: "a", count: 64), "a\nb",
    ])
    func rejectsModelNames(_ name: String) {
        #expect(!Names.isValid(name))
    }

    @Test(
        arguments: [
            ("data/train.csv", nil), ("a", nil), ("../etc/passwd", "must stay inside the repository (no '..')"),
            ("data/../../x", "must stay inside the repository (no '..')"),
            ("/etc/passwd", "must be relative to the repository"),
            ("./data", "must be normalised (no empty or '.' components, no trailing '/')"),
            ("data//x", "must be normalised (no empty or '.' components, no trailing '/')"),
            ("data/", "must be normalised (no empty or '.' components, no trailing '/')"), ("", "is empty"),
            (".git/config", "must not point into .git"), ("a\\b", "must use '/' as separator"),
            ("~/x", "must be relative to the repository"),
        ] as [(String, String?)])
    func checksRepositoryPaths(_ path: String, _ problem: String?) {
        #expect(RepositoryPath.problem(path) == problem)
    }

    @Test func quotesHostileTextInMessages() {
        #expect(Quoted("a'b\nc\u{1}").description == "'a\\'b\\nc\\u{1}'")
    }
}

@Suite("Suggestions for typos")
struct SuggestionTests {
    @Test(
        arguments: [
            ("linage", "lineage"), ("sha265", "sha256"), ("evn", "env"), ("metrcs", "metrics"), ("zzzzzz", nil),
            ("x", nil),
        ] as [(String, String?)])
    func nearestKnownName(_ typo: String, _ expected: String?) {
        let known = ["lineage", "sha256", "env", "metrics", "slices", "training", "readOnly"]
        #expect(Suggestion.nearest(to: typo, in: known) == expected)
    }
}
