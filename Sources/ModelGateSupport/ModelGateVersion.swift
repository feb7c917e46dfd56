/// modelgate's own version, stamped into attestations and bundles.
public enum ModelGateVersion {
    public static let current = "0.1.0"
}
