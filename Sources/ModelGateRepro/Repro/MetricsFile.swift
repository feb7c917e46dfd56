import Foundation

/// What a training run wrote to `outputs.metrics`: a JSON object whose numbers are metrics and whose
/// `slices` object maps slice names to objects of numbers; any other value is ignored. `record` writes
/// these values into the manifest and `repro` compares against them, so both read them here.
///
/// Numbers are decoded exactly: JSONDecoder keeps the shortest round trip, JSONSerialization can be off
/// by an ulp.
struct MetricsFile {
    var metrics: [String: Double]
    var slices: [String: [String: Double]]

    /// Nil when `data` is not a JSON object.
    init?(_ data: Data) {
        guard let object = try? JSONDecoder().decode([String: Value].self, from: data) else { return nil }
        metrics = object.compactMapValues(\.number)
        slices = object["slices"]?.slices ?? [:]
    }

    /// One value of the object: a number, an object of objects of numbers, or anything else.
    private struct Value: Decodable {
        var number: Double?
        var slices: [String: [String: Double]]?

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if (try? container.decode(Bool.self)) != nil { return }
            number = try? container.decode(Double.self)
            if number == nil { slices = try? container.decode([String: [String: Double]].self) }
        }
    }
}
