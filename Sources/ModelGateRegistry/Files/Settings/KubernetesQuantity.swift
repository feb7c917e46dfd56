/// A Kubernetes resource quantity (`512Mi`, `2G`, `1.5Gi`), the way `serving.memory` and the sandbox's limits
/// are written.
public enum KubernetesQuantity {
    /// A quantity in bytes; nil when it is not a number or not below 2^63 bytes.
    public static func bytes(_ quantity: String) -> Int64? {
        let units: [(String, Double)] = [
            ("Ki", 1024), ("Mi", 1_048_576), ("Gi", 1_073_741_824), ("Ti", 1_099_511_627_776), ("k", 1e3), ("M", 1e6),
            ("G", 1e9),
            ("T", 1e12), ("m", 1e-3),
        ]
        var number = quantity
        var factor = 1.0
        if let unit = units.first(where: { quantity.hasSuffix($0.0) }) {
            number = String(quantity.dropLast(unit.0.count))
            factor = unit.1
        }
        guard let value = Double(number).map({ ($0 * factor).rounded(.down) }), value.isFinite,
            value < 0x1p63, value > -0x1p63
        else { return nil }
        return Int64(value)
    }
}
