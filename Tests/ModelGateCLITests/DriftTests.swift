import Foundation
import ModelGateKit
import ModelGateTestSupport
import Testing

/// `modelgate profile` and `modelgate drift` against an independent computation with numpy and pandas
/// (`Tests/Validators/profile_reference.py`), on generated data with known shifts.
@Suite("modelgate profile and drift", .serialized)
struct DriftTests {
    static let script = Shell.packageRoot.appendingPathComponent("Tests/Validators/profile_reference.py").path

    func reference(_ arguments: String...) throws -> [String: Any] {
        let result = try Shell.run([Shell.python, Self.script] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    func close(_ a: Double?, _ b: Double?, _ what: String) {
        guard let a, let b else { return #expect(a == nil && b == nil, "\(what)") }
        #expect(abs(a - b) <= 1e-9 * max(1, abs(b)), "\(what): \(a) vs \(b)")
    }

    @Test func everyStatisticMatchesNumpyAndPandas() throws {
        let scratch = ScratchDirectory()
        let data = scratch.url.appendingPathComponent("train.csv").path
        _ = try Shell.run([Shell.python, Self.script, "make", data, "1"])
        let out = scratch.url.appendingPathComponent("profile.json").path
        let made = try Shell.modelgate(["profile", data, "--out", out], in: scratch.url)
        #expect(made.status == 0, "\(made.stderr)")
        let ours = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        let theirs = try reference("profile", data)
        #expect(ours["rows"] as? Int == theirs["rows"] as? Int)
        let mine = try #require(ours["columns"] as? [String: [String: Any]])
        let expected = try #require(theirs["columns"] as? [String: [String: Any]])
        #expect(Set(mine.keys) == Set(expected.keys))
        for (name, column) in expected {
            let ourColumn = try #require(mine[name])
            #expect(ourColumn["type"] as? String == column["type"] as? String, "\(name)")
            #expect(ourColumn["count"] as? Int == column["count"] as? Int, "\(name)")
            #expect(ourColumn["missing"] as? Int == column["missing"] as? Int, "\(name)")
            if column["type"] as? String == "numeric" {
                for key in ["mean", "std", "min", "max"] {
                    close(ourColumn[key] as? Double, column[key] as? Double, "\(name).\(key)")
                }
                let ourBins = try #require(ourColumn["bins"] as? [String: Any])
                let bins = try #require(column["bins"] as? [String: Any])
                for (a, b) in zip(ourBins["edges"] as? [Double] ?? [], bins["edges"] as? [Double] ?? []) {
                    close(a, b, "\(name) edge")
                }
                #expect(ourBins["counts"] as? [Int] == bins["counts"] as? [Int], "\(name) counts")
            } else {
                #expect(ourColumn["counts"] as? [String: Int] == column["counts"] as? [String: Int], "\(name) counts")
            }
        }
        // Quoted fields with commas, quotes and line breaks are values, not separators.
        #expect(
            (mine["note"]?["counts"] as? [String: Int])?.keys.sorted() == ["ok", "said \"hi\", left", "two\nlines"])
    }

    /// A registry whose churn 1.0.0 has the profile of `train.csv` (seed 1, no shift).
    func registry() throws -> (FixtureRegistry, ScratchDirectory) {
        let scratch = ScratchDirectory()
        let train = scratch.url.appendingPathComponent("train.csv").path
        _ = try Shell.run([Shell.python, Self.script, "make", train, "1"])
        let fixture = try FixtureRegistry()
        let profile = try Shell.modelgate(["profile", train, "--out", "-"], in: fixture.url).stdout
        try fixture.write("profiles/churn/1.0.0.json", "{\"data\": {\"data/churn.csv\": \(profile)}}\n")
        try fixture.commit("the training data's profile")
        try FileManager.default.copyItem(
            atPath: train, toPath: scratch.url.appendingPathComponent("profile-source.csv").path)
        let flat = scratch.url.appendingPathComponent("reference.json")
        try Data(profile.utf8).write(to: flat)
        return (fixture, scratch)
    }

    @Test(arguments: DriftMeasure.allCases.map(\.rawValue))
    func measuresMatchNumpyAndFindTheShift(_ metric: String) throws {
        let (fixture, scratch) = try registry()
        for (seed, shift) in [("2", "0"), ("3", "15")] {
            let data = scratch.url.appendingPathComponent("current-\(seed).csv").path
            _ = try Shell.run([Shell.python, Self.script, "make", data, seed, shift])
            let result = try fixture.modelgate(
                "drift", "churn@1.0.0", "--data", data, "--metric", metric, "--format", "json")
            let report = try #require(
                try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            let expected = try reference(
                "measure", scratch.url.appendingPathComponent("reference.json").path, data, metric)
            let columns = try #require(report["columns"] as? [[String: Any]])
            var values: [String: Double] = [:]
            for column in columns { values[column["column"] as! String] = column["value"] as? Double }
            for (name, value) in expected { close(values[name], value as? Double, "\(metric) \(name) shift \(shift)") }
            if shift == "0" {
                #expect(result.status == 0, "no drift: \(result.stdout)")
                #expect(values.values.allSatisfy { $0 < 0.1 }, "sampling noise only: \(values)")
            } else {
                #expect(result.status == 1)
                #expect(report["verdict"] as? String == "fail")
                #expect(values["tenure"]! > 0.2, "the shifted numeric column is found by name")
                #expect(values["region"]! > values["charges"]!, "the new category moves region")
            }
        }
        withExtendedLifetime(scratch) {}
    }

    @Test func prometheusOutputParsesAndRaggedRowsAreRefused() throws {
        let (fixture, scratch) = try registry()
        let data = scratch.url.appendingPathComponent("current.csv").path
        _ = try Shell.run([Shell.python, Self.script, "make", data, "4", "15"])
        let metrics = scratch.url.appendingPathComponent("drift.prom").path
        let written = try fixture.modelgate(
            "drift", "churn@1.0.0", "--data", data, "--format", "prometheus", "--output", metrics)
        #expect(written.status == 1)
        let parsed = try Shell.run([
            Shell.python, "-c",
            "import sys; from prometheus_client.parser import text_string_to_metric_families as parse; "
                + "samples = [s for f in parse(open(sys.argv[1]).read()) for s in f.samples]; "
                + "print(sorted(s.labels.get('column', '-') for s in samples if s.name == 'modelgate_data_drift'))",
            metrics,
        ])
        #expect(parsed.status == 0, "\(parsed.stderr)")
        #expect(parsed.stdout == "['charges', 'note', 'region', 'tenure']\n")
        let ragged = scratch.url.appendingPathComponent("ragged.csv")
        try Data("a,b\n1,2\n3\n".utf8).write(to: ragged)
        let refused = try fixture.modelgate("profile", ragged.path, "--out", "-")
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("ragged.csv:3: the row has 1 fields, the header 2"))
        let missing = try fixture.modelgate("drift", "churn@1.1.0", "--data", data)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("has no data profile at profiles/churn/1.1.0.json"))
    }
}
