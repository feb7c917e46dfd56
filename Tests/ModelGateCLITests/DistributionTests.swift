import Foundation
import ModelGateTestSupport
import Testing

/// What the project ships for CI beside the binary: the Action, the release workflow, the CI and GitOps
/// examples and the container image, checked offline with the tools platform teams run on them.
@Suite("distribution")
struct DistributionTests {
    static let root = Shell.validators.deletingLastPathComponent().deletingLastPathComponent()

    func tool(_ name: String, _ arguments: [String]) throws -> ProcessResult {
        let bin = URL(fileURLWithPath: Shell.python).deletingLastPathComponent()
        return try Shell.run([bin.appendingPathComponent(name).path] + arguments, in: Self.root)
    }

    static let workflows = [
        ".github/workflows/release.yml", "docs/ci/github-actions.yml", "docs/ci/github-actions-repro.yml",
        "docs/gitops/github-actions-deliver.yml",
    ]

    @Test func workflowsAndTheActionPassTheGitHubSchemas() throws {
        let workflows = try tool("check-jsonschema", ["--builtin-schema", "vendor.github-workflows"] + Self.workflows)
        #expect(workflows.status == 0, "\(workflows.stdout)\(workflows.stderr)")
        let action = try tool("check-jsonschema", ["--builtin-schema", "vendor.github-actions", "action.yml"])
        #expect(action.status == 0, "\(action.stdout)\(action.stderr)")
        let gitlab = try tool("check-jsonschema", ["--builtin-schema", "vendor.gitlab-ci", "docs/ci/gitlab-ci.yml"])
        #expect(gitlab.status == 0, "\(gitlab.stdout)\(gitlab.stderr)")
    }

    /// zizmor at its default persona (every severity) and at the pedantic one finds nothing: actions and
    /// images pinned, no credentials left in a checkout, the signing secret behind an environment.
    @Test(arguments: ["regular", "pedantic"])
    func zizmorFindsNothing(_ persona: String) throws {
        let result = try tool(
            "zizmor",
            ["--offline", "--config", ".github/zizmor.yml", "--persona", persona, "action.yml"] + Self.workflows)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("No findings to report"), "\(result.stdout)")
    }

    /// actionlint, with ShellCheck over every `run:` script, passes the workflows; the Action's own scripts
    /// (actionlint reads workflows only) pass ShellCheck directly.
    @Test func actionlintAndShellCheckPass() throws {
        let linted = try tool("actionlint", ["-shellcheck", "shellcheck"] + Self.workflows)
        #expect(linted.status == 0, "\(linted.stdout)\(linted.stderr)")
        let scripts = try Shell.run(
            [
                Shell.python, "-c",
                """
                import subprocess, sys, yaml
                steps = yaml.safe_load(open("action.yml"))["runs"]["steps"]
                runs = [step["run"] for step in steps if "run" in step]
                for script in runs:
                    result = subprocess.run(["shellcheck", "--shell=bash", "-"], input=script, text=True, capture_output=True)
                    print(result.stdout, end="")
                    if result.returncode != 0:
                        sys.exit(1)
                print(len(runs), "scripts")
                """,
            ], in: Self.root)
        #expect(scripts.status == 0, "\(scripts.stdout)\(scripts.stderr)")
        #expect(scripts.stdout.hasSuffix("3 scripts\n"), "\(scripts.stdout)")
    }

    /// Every `uses:` is a commit SHA with its tag in a comment, except the examples' use of modelgate's own
    /// action by its release tag.
    @Test func everyActionIsPinnedByCommit() throws {
        var count = 0
        for path in Self.workflows + ["action.yml"] {
            let text = try String(contentsOf: Self.root.appendingPathComponent(path), encoding: .utf8)
            for line in text.split(separator: "\n") where line.contains("uses:") {
                count += 1
                let reference = line.split(separator: "uses:")[1].trimmingCharacters(in: .whitespaces)
                if reference.hasPrefix("modelgate/modelgate@v") { continue }
                #expect(
                    reference.range(
                        of: #"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$"#, options: .regularExpression) != nil,
                    "\(path): \(reference)")
            }
        }
        #expect(count >= 10)
    }

    @Test func theActionInstallsThisVersion() throws {
        let text = try String(contentsOf: Self.root.appendingPathComponent("action.yml"), encoding: .utf8)
        let version = try Shell.modelgate(["--version"], in: Self.root).stdout.trimmingCharacters(
            in: .whitespacesAndNewlines)
        #expect(
            text.contains(
                "  version:\n    description: The modelgate release to install.\n    required: false\n    default: \"\(version)\""
            ))
        for input in ["base", "head", "policies-from", "fail-on-warn", "allow-rule-change", "sarif"] {
            #expect(text.contains("\n  \(input):\n"), "action.yml has no input \(input)")
        }
    }

    @Test func theContainerImageIsHadolintClean() throws {
        let result = try tool("hadolint", [".ci/Dockerfile"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let text = try String(contentsOf: Self.root.appendingPathComponent(".ci/Dockerfile"), encoding: .utf8)
        #expect(text.contains("USER 10001:10001"))
        #expect(!text.contains(" git "), "the runtime image is git-free")
    }

    @Test func theGitOpsExamplesValidateAgainstTheirCRDs() throws {
        let argo = try Shell.run(
            [
                Shell.python, Shell.validators.appendingPathComponent("validate_bundle.py").path, "crd",
                "argocd-application-crd.yaml", "docs/gitops/argocd/staging.yaml", "docs/gitops/argocd/production.yaml",
            ], in: Self.root)
        #expect(argo.status == 0, "\(argo.stdout)\(argo.stderr)")
        let flux = try Shell.run(
            [
                Shell.python, Shell.validators.appendingPathComponent("validate_bundle.py").path, "crd",
                "flux-kustomization-crd.yaml", "docs/gitops/flux/staging.yaml", "docs/gitops/flux/production.yaml",
            ], in: Self.root)
        #expect(flux.status == 0, "\(flux.stdout)\(flux.stderr)")
    }

    /// The shells call back into modelgate for model names, versions and stages of the registry at hand.
    @Test func completionsOfferTheRegistrysNames() throws {
        let scratch = ScratchDirectory("modelgate-completion")
        #expect(try Shell.modelgate(["init", "registry", "--example", "--quiet"], in: scratch.url).status == 0)
        let registry = scratch.url.appendingPathComponent("registry")
        let versions = try Shell.modelgate(["---completion", "show", "--", "positional@0", "2", "0"], in: registry)
        #expect(versions.stdout.split(separator: "\n").contains("churn@1.3.0"), "\(versions.stdout)\(versions.stderr)")
        let stages = try Shell.modelgate(["---completion", "promote", "--", "--to", "3", "0"], in: registry)
        #expect(stages.stdout.split(separator: "\n") == ["development", "staging", "production", "archived"])
        let outside = try Shell.modelgate(
            ["---completion", "history", "--", "positional@0", "2", "0"], in: scratch.url)
        #expect(outside.status == 0 && outside.stdout.isEmpty)
        for shell in ["bash", "zsh", "fish"] {
            let script = try Shell.modelgate(["--generate-completion-script", shell], in: scratch.url)
            #expect(script.status == 0 && script.stdout.contains("---completion"), "\(shell)")
        }
    }
}
