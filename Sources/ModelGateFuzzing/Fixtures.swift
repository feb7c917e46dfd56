/// The fixed registry files the gate oracle judges a fuzzed manifest against: one policy with every
/// threshold and baseline form, one with every requirement.
enum Fixtures {
    static let qualityPolicy = """
        apiVersion: modelgate/v1
        kind: Policy
        name: quality
        appliesTo: {stages: [production], models: ["*"]}
        rules:
          - {metric: auc, min: 0.7}
          - {metric: log_loss, max: 0.6}
          - {metric: f1, min: 0.1, max: 0.99}
          - {metric: auc, baseline: production, direction: higher, maxRegression: 0.01}
          - {metric: latency_ms, baseline: production, direction: lower, maxRegressionPct: 5, severity: warning}
          - {slices: "*", metric: auc, min: 0.6}
          - {id: eu-floor, slices: [region=eu], metric: auc, min: 0.65}

        """

    static let gatePolicy = """
        apiVersion: modelgate/v1
        kind: Policy
        name: production-gate
        appliesTo: {stages: [production], models: ["*"]}
        rules:
          - require: artifactHash
          - require: dataHashes
          - {require: from, stages: [staging]}
          - require: reproducible

        """

    static let spec = """
        apiVersion: modelgate/v1
        kind: Model
        name: fuzz
        serving: {runtime: sklearn}

        """

    static let baseline = """
        apiVersion: modelgate/v1
        kind: ModelVersion
        model: fuzz
        version: 1.0.0
        created: 2026-01-01T00:00:00Z
        artifact: {uri: artifacts/fuzz/1.0.0/model.pkl, sha256: \(String(repeating: "a", count: 64))}
        metrics: {auc: 0.8, log_loss: 0.5, f1: 0.7, latency_ms: 12}
        slices:
          region=eu: {auc: 0.75}

        """
}

/// A value the harness cannot run without. Its inputs are constants of the harness, so a failure here is a
/// bug of the harness itself: it stops with the error rather than fuzzing something else.
func fixture<T>(_ make: () throws -> T) -> T {
    do { return try make() } catch { fatalError("a fuzz fixture failed: \(error)") }
}
