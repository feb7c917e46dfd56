import Foundation
import ModelGateKit
import ModelGateTestSupport
import Testing

/// `repro --emit job`: the retraining as a Kubernetes Job, checked without a cluster: the manifests against
/// the API's schemas, checkov and the restricted Pod Security Standard, and the three steps run in
/// bubblewrap with each container's mounts, environment and command as the Job says, against `repro`.
@Suite("repro as a Kubernetes Job", .serialized)
struct ReproJobTests {
    @Test func theJobIsValidRestrictedAndHoldsTheKeyInTheLastStepOnly() throws {
        let secrets = ScratchDirectory()
        let fixture = try JobEmulation.registry(
            key: secrets.url.appendingPathComponent("ci.key"), host: secrets.url.appendingPathComponent("host.git"))
        let emitted = try fixture.modelgate(
            "repro", "toy@1.0.0", "--base", "main", "--emit", "job", "--out", "job", "--image",
            "ghcr.io/acme/train@sha256:\(JobEmulation.digest)")
        #expect(emitted.status == 0, "\(emitted.stdout)\(emitted.stderr)")
        let folder = fixture.url.appendingPathComponent("job")
        try JobEmulation.expectValid(folder, versions: ["1.29.0", "1.33.0", "1.37.0"])
        try JobEmulation.expectCheckovPasses(folder)

        // The restricted Pod Security Standard, control by control.
        let job = try JobEmulation.json(folder.appendingPathComponent("job.json"))
        let spec = try #require(
            ((job["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any])
        #expect(spec["hostNetwork"] == nil && spec["hostPID"] == nil && spec["hostIPC"] == nil)
        #expect(spec["automountServiceAccountToken"] as? Bool == false)
        let volumes = try #require(spec["volumes"] as? [[String: Any]])
        #expect(volumes.allSatisfy { $0["emptyDir"] != nil || $0["secret"] != nil }, "no hostPath or other volume")
        let containers =
            (spec["initContainers"] as? [[String: Any]] ?? []) + (spec["containers"] as? [[String: Any]] ?? [])
        #expect(containers.map { $0["name"] as? String } == ["fetch", "train", "attest"])
        for container in containers {
            let context = try #require(container["securityContext"] as? [String: Any])
            #expect(context["allowPrivilegeEscalation"] as? Bool == false)
            #expect(context["runAsNonRoot"] as? Bool == true)
            #expect(context["readOnlyRootFilesystem"] as? Bool == true)
            #expect((context["capabilities"] as? [String: Any])?["drop"] as? [String] == ["ALL"])
            #expect((context["seccompProfile"] as? [String: Any])?["type"] as? String == "RuntimeDefault")
            #expect(context["privileged"] == nil && container["ports"] == nil)
        }
        // Which step mounts what: the key in attest only, the clone never in train.
        func mounts(_ name: String) -> [String] {
            let container = containers.first { $0["name"] as? String == name }
            return (container?["volumeMounts"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        }
        #expect(mounts("train").sorted() == ["scratch", "train-home", "train-tmp"])
        // The manifest's resources, recorded from model.yaml, are what the train step asks for.
        let manifest = try fixture.read("models/toy/versions/1.0.0.yaml")
        let modelFile = try fixture.read("models/toy/model.yaml")
        #expect(manifest.contains("resources: {cpu: \"2\", memory: 4Gi, gpu: 1}"), "\(manifest)\n\(modelFile)")
        let limits = (containers[1]["resources"] as? [String: Any])?["limits"] as? [String: String]
        #expect(limits == ["cpu": "2", "memory": "4Gi", "nvidia.com/gpu": "1"])
        #expect(!mounts("fetch").contains("key") && mounts("attest").contains("key"))
        let policy = try JobEmulation.json(folder.appendingPathComponent("networkpolicy.json"))
        let rules = try #require((policy["spec"] as? [String: Any])?["egress"] as? [[String: Any]])
        #expect(rules.count == 2, "the Git host on 443 and the cluster's DNS, nothing else")
        // The same version and refs give the same bytes.
        let first = try Data(contentsOf: folder.appendingPathComponent("job.json"))
        #expect(
            try fixture.modelgate(
                "repro", "toy@1.0.0", "--base", "main", "--emit", "job", "--out", "job", "--image",
                "ghcr.io/acme/train@sha256:\(JobEmulation.digest)"
            ).status == 0)
        #expect(try Data(contentsOf: folder.appendingPathComponent("job.json")) == first)

        // A cap at the trusted ref: the version asks for a GPU, and the cluster team allows none.
        let settings = try fixture.read("modelgate.yaml")
        try fixture.write(
            "modelgate.yaml",
            settings.replacingOccurrences(
                of: "  namespace: ml-repro\n", with: "  namespace: ml-repro\n  maxResources: {cpu: \"4\", gpu: 0}\n"))
        try fixture.commit("no GPUs for retraining")
        let capped = try fixture.modelgate(
            "repro", "toy@1.0.0", "--base", "main", "--emit", "job", "--out", "job", "--image",
            "ghcr.io/acme/train@sha256:\(JobEmulation.digest)")
        #expect(capped.status == 2, "\(capped.stdout)")
        #expect(
            capped.stderr.contains("more than job.maxResources at the trusted ref allows (gpu 1 > 0)"),
            "\(capped.stderr)")
        #expect(try Data(contentsOf: folder.appendingPathComponent("job.json")) == first, "nothing was written")
    }

    @Test func theStepsInBubblewrapAttestAsReproDoesAndTheTrainerCannotReachTheKey() throws {
        let secrets = ScratchDirectory()
        let key = secrets.url.appendingPathComponent("ci.key")
        let host = secrets.url.appendingPathComponent("host.git")
        let fixture = try JobEmulation.registry(key: key, host: host)
        // What `repro` on this machine attests, for comparison.
        let local = try fixture.modelgate("repro", "toy@1.0.0", "--base", "main", "--record", "--sign", key.path)
        #expect(local.status == 0, "\(local.stdout)\(local.stderr)")
        let reference = try fixture.read("attestations/toy/1.0.0.json")
        _ = try fixture.git("checkout", "--", ".")
        try FileManager.default.removeItem(at: fixture.url.appendingPathComponent("attestations/toy/1.0.0.json"))

        let emitted = try fixture.modelgate(
            "repro", "toy@1.0.0", "--base", "main", "--emit", "job", "--out",
            secrets.url.appendingPathComponent("job").path)
        #expect(emitted.status == 0, "\(emitted.stdout)\(emitted.stderr)")
        let job = try JobEmulation.json(secrets.url.appendingPathComponent("job/job.json"))
        let containers = try JobEmulation.containers(job)
        let volumes = try JobEmulation.volumes(
            ["scratch", "handoff", "tmp", "train-tmp", "train-home", "key"], under: secrets.url)
        // Force unwrap: "key" is one of the volumes just made.
        try FileManager.default.copyItem(at: key, to: volumes["key"]!.appendingPathComponent("signing.pem"))
        try JobEmulation.fetchAndTrain(containers, volumes: volumes, host: host)
        let attest = try JobEmulation.modelgateStep(containers[2], volumes: volumes)
        #expect(attest.status == 0, "attest: \(attest.stdout)\(attest.stderr)")

        // The log, with other lines around the attestation's, back into attestations/.
        let log = secrets.url.appendingPathComponent("attest.log")
        try Data(("starting\n" + attest.stdout + "done\n").utf8).write(to: log)
        let collected = try fixture.modelgate("repro", "--collect", log.path, "--base", "main")
        #expect(collected.status == 0, "\(collected.stdout)\(collected.stderr)")
        #expect(collected.stdout.contains("reproduced, signed by ci"), "\(collected.stdout)")
        _ = try fixture.commit("Attest toy 1.0.0 from the Job")
        let verify = try fixture.modelgate("verify", "toy@1.0.0")
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        // The same statement as `repro`'s, but for how long it took and what ran it.
        func predicate(_ text: String) throws -> [String: Any] {
            let envelope = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            let encoded = try #require(envelope["payload"] as? String)
            let payload = try #require(Data(base64Encoded: encoded))
            let statement = try #require(try JSONSerialization.jsonObject(with: payload) as? [String: Any])
            var predicate = try #require(statement["predicate"] as? [String: Any])
            predicate["durationSeconds"] = nil
            predicate["environment"] = nil
            return predicate
        }
        let fromJob = try predicate(try fixture.read("attestations/toy/1.0.0.json"))
        let fromRepro = try predicate(reference)
        func canonical(_ value: Any?) throws -> Data {
            try JSONSerialization.data(withJSONObject: [value ?? NSNull()], options: .sortedKeys)
        }
        let differing = try Set(fromJob.keys).union(fromRepro.keys).filter {
            try canonical(fromJob[$0]) != canonical(fromRepro[$0])
        }
        #expect(
            differing.isEmpty,
            "\(differing.sorted().map { "\($0): \(fromJob[$0] ?? "none") against \(fromRepro[$0] ?? "none")" })")
    }

    @Test func dataGitDoesNotHoldIsDownloadedAndCheckedBeforeTheTrainingSeesIt() throws {
        let secrets = ScratchDirectory()
        let text = "a,b\n1,2\n3,4\n"
        let (server, uri, certificate, served) = try JobEmulation.serveBigCSV(text, scratch: secrets.url)
        defer { server.terminate() }
        let key = secrets.url.appendingPathComponent("ci.key")
        let host = secrets.url.appendingPathComponent("host.git")
        let fixture = try JobEmulation.registry(
            key: key, host: host, downloaded: (text, uri))
        let manifest = try fixture.read("models/toy/versions/1.0.0.yaml")
        #expect(manifest.contains("uri: \"\(uri)\""), "\(manifest)")

        let folder = secrets.url.appendingPathComponent("job")
        let emitted = try fixture.modelgate(
            "repro", "toy@1.0.0", "--base", "main", "--emit", "job", "--out", folder.path, "--image",
            "ghcr.io/acme/train@sha256:\(JobEmulation.digest)")
        #expect(emitted.status == 0, "\(emitted.stdout)\(emitted.stderr)")
        try JobEmulation.expectCheckovPasses(folder)
        try JobEmulation.expectValid(folder, files: ["job.json"], versions: ["1.33.0"])
        let containers = try JobEmulation.containers(try JobEmulation.json(folder.appendingPathComponent("job.json")))
        #expect(containers.map { $0["name"] as? String } == ["download", "fetch", "train", "attest"])
        // curl reads no `[1-99999999]` or `{a,b}` in a pull request's uri as a pattern of many URLs.
        #expect((containers[0]["command"] as? [String])?.contains("--globoff") == true)

        // The download step: curl, with this network and the test's certificate authority (a cluster's
        // hosts have real certificates); then fetch, train and attest as for data in Git.
        func run(_ volumes: [String: URL]) throws -> (download: ProcessResult, fetch: ProcessResult) {
            let download = try JobEmulation.downloadStep(containers[0], volumes: volumes, certificate: certificate)
            let fetch = try JobEmulation.modelgateStep(
                containers[1], volumes: volumes, extra: ["--ro-bind", host.path, host.path])
            return (download, fetch)
        }
        let names = ["download", "scratch", "handoff", "tmp", "train-tmp", "train-home", "key"]
        let volumes = try JobEmulation.volumes(names, under: secrets.url.appendingPathComponent("good"))
        // Force unwrap: "key" is one of the volumes just made.
        try FileManager.default.copyItem(at: key, to: volumes["key"]!.appendingPathComponent("signing.pem"))
        let (download, fetch) = try run(volumes)
        #expect(download.status == 0, "download: \(download.stdout)\(download.stderr)")
        #expect(fetch.status == 0, "fetch: \(fetch.stdout)\(fetch.stderr)")
        let train = try JobEmulation.contained(containers[2], volumes: volumes)
        #expect(train.status == 0, "train: \(train.stdout)\(train.stderr)")
        #expect(train.stdout.contains("data:big.csv,toy.csv"), "\(train.stdout)")
        let attest = try JobEmulation.modelgateStep(containers[3], volumes: volumes)
        #expect(attest.status == 0, "attest: \(attest.stdout)\(attest.stderr)")
        let log = secrets.url.appendingPathComponent("attest.log")
        try Data(attest.stdout.utf8).write(to: log)
        let collected = try fixture.modelgate("repro", "--collect", log.path, "--base", "main")
        #expect(collected.stdout.contains("reproduced, signed by ci"), "\(collected.stdout)\(collected.stderr)")

        // Other bytes at the uri: the fetch step refuses them, and nothing reaches the scratch tree.
        try Data("a,b\n9,9\n".utf8).write(to: served)
        let other = try JobEmulation.volumes(names, under: secrets.url.appendingPathComponent("tampered"))
        let refused = try run(other)
        #expect(refused.download.status == 0, "\(refused.download.stderr)")
        #expect(refused.fetch.status == 2, "fetch: \(refused.fetch.stdout)\(refused.fetch.stderr)")
        #expect(refused.fetch.stderr.contains("not the recorded"), "\(refused.fetch.stderr)")
        // Force unwrap: "scratch" is one of the volumes just made.
        #expect(try FileManager.default.contentsOfDirectory(atPath: other["scratch"]!.path).isEmpty)
    }

    @Test func collectRefusesAnAttestationItCannotTrust() throws {
        let secrets = ScratchDirectory()
        let fixture = try JobEmulation.registry(
            key: secrets.url.appendingPathComponent("ci.key"), host: secrets.url.appendingPathComponent("host.git"))
        let log = secrets.url.appendingPathComponent("forged.log")
        // Signed by a key no attestor holds.
        let other = secrets.url.appendingPathComponent("other.key")
        #expect(try fixture.modelgate("keygen", "--out", other.path).status == 0)
        let signed = try fixture.modelgate("repro", "toy@1.0.0", "--base", "main", "--record", "--sign", other.path)
        #expect(signed.status == 0, "\(signed.stderr)")
        let envelope = try fixture.read("attestations/toy/1.0.0.json")
        try FileManager.default.removeItem(at: fixture.url.appendingPathComponent("attestations/toy/1.0.0.json"))
        let line =
            #"{"kind":"modelgate.dev/attestation/v1","path":"attestations/toy/1.0.0.json","envelope":""#
            + Data(envelope.utf8).base64EncodedString() + "\"}\n"
        try Data(line.utf8).write(to: log)
        let refused = try fixture.modelgate("repro", "--collect", log.path, "--base", "main")
        #expect(refused.status == 2, "\(refused.stdout)\(refused.stderr)")
        #expect(
            !FileManager.default.fileExists(
                atPath: fixture.url.appendingPathComponent("attestations/toy/1.0.0.json").path))
        // No line at all, and a line whose path leaves the attestations folder.
        try Data("nothing here\n".utf8).write(to: log)
        #expect(try fixture.modelgate("repro", "--collect", log.path, "--base", "main").status == 2)
        try Data(line.replacingOccurrences(of: "attestations/toy/1.0.0.json", with: "../../etc/x").utf8).write(to: log)
        #expect(try fixture.modelgate("repro", "--collect", log.path, "--base", "main").status == 2)
    }
}
