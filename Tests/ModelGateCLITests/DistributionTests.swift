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
        "docs/ci/github-actions-repro-job.yml",
        "docs/ci/github-pages.yml", "docs/gitops/github-actions-deliver.yml",
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

    /// The delivery workflow's build step, run as written against the example with `image.requireDigest`
    /// and no `images.yaml`: a fake `docker` (a registry of digests on disk) builds and pushes every holder's
    /// image, one render pins them all, and the deploy folder is then up to date; a second run builds nothing.
    @Test func theDeliveryWorkflowStartsFromNoImages() throws {
        let (scratch, registry) = try Example.registry("modelgate-deliver")
        defer { withExtendedLifetime(scratch) {} }
        try Example.requireProductionDigest(in: registry)
        let extracted = try Shell.run(
            [
                Shell.python, "-c",
                """
                import sys, yaml
                steps = yaml.safe_load(open(sys.argv[1]))["jobs"]["deliver"]["steps"]
                print(next(step["run"] for step in steps if step.get("name", "").startswith("Build and push")))
                """,
                Self.root.appendingPathComponent("docs/gitops/github-actions-deliver.yml").path,
            ])
        #expect(extracted.status == 0, "\(extracted.stderr)")
        let bin = scratch.url.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let docker = bin.appendingPathComponent("docker")
        try Data(
            """
            #!/bin/bash
            # A registry of digests on disk: build hashes the context's Dockerfile and requirements.
            set -euo pipefail
            case "$1" in
              build) [ "$2" = --tag ] && grep -q '^FROM ' "$4/Dockerfile" && [ ! -e "$4/deployment.yaml" ]
                     echo "$3 $(cat "$4/Dockerfile" "$4/requirements.txt" | sha256sum | cut -c1-64)" >> "$REGISTRY_LOG.built" ;;
              push) grep -q "^$2 " "$REGISTRY_LOG.built" && echo "$2" >> "$REGISTRY_LOG.pushed" ;;
              inspect) digest=$(grep "^$4 " "$REGISTRY_LOG.built" | tail -1 | cut -d' ' -f2)
                       echo "${4%:*}@sha256:$digest" ;;
              *) exit 2 ;;
            esac

            """.utf8
        ).write(to: docker)
        #expect(chmod(docker.path, 0o755) == 0)
        let log = scratch.url.appendingPathComponent("registry-log").path
        let path = [bin.path, Shell.modelgateBinary.deletingLastPathComponent().path, "/usr/bin", "/bin"]
        func runStep() throws -> ProcessResult {
            try Shell.run(
                ["bash", "-c", extracted.stdout], in: registry,
                environment: [
                    "PATH": path.joined(separator: ":"), "IMAGE_REGISTRY": "ghcr.io/acme", "REGISTRY_LOG": log,
                ])
        }
        let first = try runStep()
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        let pushed = try String(contentsOfFile: log + ".pushed", encoding: .utf8).split(separator: "\n")
        #expect(
            pushed.sorted() == ["ghcr.io/acme/churn:1.3.0", "ghcr.io/acme/demand:1.1.0", "ghcr.io/acme/demand:2.0.0"])
        let images = try String(contentsOf: registry.appendingPathComponent("deploy/images.yaml"), encoding: .utf8)
        for key in ["churn@1.3.0: \"ghcr.io/acme/churn@sha256:", "demand@1.1.0: \"ghcr.io/acme/demand@sha256:"] {
            #expect(images.contains(key), "\(images)")
        }
        #expect(try Shell.modelgate(["render", "--check"], in: registry).status == 0)
        let again = try runStep()
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try String(contentsOfFile: log + ".pushed", encoding: .utf8).split(separator: "\n").count == 3)
    }
}
