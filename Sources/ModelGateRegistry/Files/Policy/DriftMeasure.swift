/// How far a current sample has moved from a reference profile, per column: `psi`, `l1` or `ks` over the
/// reference's bins (its deciles, or its categories plus `__other__`), proportions floored at ε = 1e-4.
public enum DriftMeasure: String, Sendable, CaseIterable {
    case psi
    case l1
    case ks
}
