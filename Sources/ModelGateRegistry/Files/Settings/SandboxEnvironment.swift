/// What of the caller's environment a sandboxed command may never see, whatever `sandbox.env` asks for.
public enum SandboxEnvironment {
    /// Names that never reach a training or a probe: the signing key.
    public static let withheld: Set<String> = ["MODELGATE_SIGNING_KEY"]
}
