import ModelGateSupport
import ModelGateYAML

/// `training.resources`: what a retraining asks a cluster for when it runs as a Kubernetes Job (`repro
/// --emit job`): CPUs and memory as Kubernetes quantities, and GPUs (`nvidia.com/gpu`). A local `repro`
/// runs within the sandbox's limits instead.
public struct TrainingResources: Sendable, Equatable {
    /// `4`, `500m`.
    public var cpu: String?
    /// `16Gi`.
    public var memory: String?
    /// Whole GPUs, 0 for none.
    public var gpu = 0

    public init(cpu: String? = nil, memory: String? = nil, gpu: Int = 0) {
        self.cpu = cpu
        self.memory = memory
        self.gpu = gpu
    }

    static func read(_ fields: SchemaReader.Fields, reader: SchemaReader) -> TrainingResources {
        var resources = TrainingResources()
        if let cpu = fields.string("cpu") {
            if Self.isCPU(cpu) {
                resources.cpu = cpu
            } else {
                reader.error(
                    "resources.cpu \(Quoted(cpu)) must be a number of CPUs (4, 0.5, 500m)",
                    at: fields.location(of: "cpu"))
            }
        }
        if let memory = fields.string("memory") {
            if let bytes = KubernetesQuantity.bytes(memory), bytes > 0 {
                resources.memory = memory
            } else {
                reader.error(
                    "resources.memory \(Quoted(memory)) must be a quantity such as 16Gi",
                    at: fields.location(of: "memory"))
            }
        }
        if let gpu = fields.integer("gpu") {
            if (0...64).contains(gpu) {
                resources.gpu = gpu
            } else {
                reader.error(
                    "resources.gpu must be a whole number of GPUs from 0 to 64", at: fields.location(of: "gpu"))
            }
        }
        fields.finish(allowing: ["cpu", "memory", "gpu"])
        return resources
    }

    /// What of `self` is above `cap` (`cpu 8 > 4`), empty when it fits: a key `cap` leaves out is not capped.
    public func excess(over cap: TrainingResources) -> [String] {
        var over: [String] = []
        if let cpu, let limit = cap.cpu, let asked = Self.millicores(cpu), let most = Self.millicores(limit),
            asked > most
        {
            over.append("cpu \(cpu) > \(limit)")
        }
        if let memory, let limit = cap.memory, let asked = KubernetesQuantity.bytes(memory),
            let most = KubernetesQuantity.bytes(limit), asked > most
        {
            over.append("memory \(memory) > \(limit)")
        }
        if gpu > cap.gpu { over.append("gpu \(gpu) > \(cap.gpu)") }
        return over
    }

    /// A CPU quantity in thousandths of a CPU.
    static func millicores(_ text: String) -> Double? {
        text.hasSuffix("m") ? Double(text.dropLast()) : Double(text).map { $0 * 1000 }
    }

    /// `4`, `0.5` or `500m`: digits, with a fraction or a `m` (thousandths), above zero.
    static func isCPU(_ text: String) -> Bool {
        let number = text.hasSuffix("m") ? String(text.dropLast()) : text
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count),
            parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
            !(text.hasSuffix("m") && parts.count == 2), let value = Double(number), value > 0
        else { return false }
        return true
    }

    /// The block as a manifest writes it, `{cpu: "4", memory: 16Gi, gpu: 1}`.
    var flow: String {
        var items: [String] = []
        if let cpu { items.append("cpu: \"\(cpu)\"") }
        if let memory { items.append("memory: \(memory)") }
        if gpu > 0 { items.append("gpu: \(gpu)") }
        return "{\(items.joined(separator: ", "))}"
    }
}
