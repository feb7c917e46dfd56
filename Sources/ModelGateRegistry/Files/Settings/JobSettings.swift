import Foundation
import ModelGateSupport
import ModelGateYAML

/// `job:` of `modelgate.yaml`: where `repro --emit job` runs a retraining on Kubernetes. Read only at the
/// trusted ref, as the sandbox settings are: the commit being reproduced must not choose where its
/// retraining may connect to or which key signs it.
public struct JobSettings: Sendable, Equatable {
    /// The Git URL the fetch step clones (`https://…` or a path for a cluster-local mirror).
    public var repository: String?
    /// The addresses (CIDR blocks) of the Git host: the only egress the Job's pod has, on port 443.
    public var egress: [String] = []
    /// modelgate's own image, pinned by digest: the fetch and attest steps run it.
    public var image: String?
    /// The namespace the Job and its NetworkPolicy go into.
    public var namespace = "modelgate"
    /// The Secret holding the signing key (key `signing.pem`), mounted into the attest step only.
    public var signingSecret = "modelgate-signing-key"
    /// The Secret holding a token for the Git host (key `token`), given to the fetch step only; nil for a
    /// repository that needs none.
    public var gitTokenSecret: String?

    public init() {}

    static func read(_ fields: SchemaReader.Fields, reader: SchemaReader) -> JobSettings {
        var settings = JobSettings()
        if let repository = fields.string("repository") {
            if repository.isEmpty || repository.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) {
                reader.error(
                    "job.repository \(Quoted(repository)) must be a URL without spaces or control characters",
                    at: fields.location(of: "repository"))
            } else {
                settings.repository = repository
            }
        }
        for (block, location) in fields.strings("egress") ?? [] {
            if CIDR.isValid(block) {
                settings.egress.append(block)
            } else {
                reader.error(
                    "job.egress \(Quoted(block)) is not a CIDR block (10.0.0.0/8, 2001:db8::/32)", at: location)
            }
        }
        if let image = fields.string("image") {
            if let problem = ImageReference.problem(image) {
                reader.error("job.image \(Quoted(image)) \(problem)", at: fields.location(of: "image"))
            } else if !image.contains("@sha256:") {
                reader.error(
                    "job.image \(Quoted(image)) must be pinned by digest (@sha256:…): it holds the signing step",
                    at: fields.location(of: "image"))
            } else {
                settings.image = image
            }
        }
        for key in ["namespace", "signingSecret", "gitTokenSecret"] {
            guard let value = fields.string(key) else { continue }
            guard Names.isValid(value) else {
                reader.error(Names.problem(value, what: "job.\(key)"), at: fields.location(of: key))
                continue
            }
            switch key {
            case "namespace": settings.namespace = value
            case "signingSecret": settings.signingSecret = value
            default: settings.gitTokenSecret = value
            }
        }
        fields.finish(allowing: ["repository", "egress", "image", "namespace", "signingSecret", "gitTokenSecret"])
        return settings
    }
}

/// An IPv4 or IPv6 address block as NetworkPolicy's `ipBlock.cidr` takes it.
public enum CIDR {
    public static func isValid(_ block: String) -> Bool {
        let parts = block.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let prefix = Int(parts[1]), String(prefix) == parts[1] else { return false }
        let address = String(parts[0])
        if address.contains(":") {
            var storage = in6_addr()
            return prefix <= 128 && inet_pton(AF_INET6, address, &storage) == 1
        }
        var storage = in_addr()
        return prefix <= 32 && inet_pton(AF_INET, address, &storage) == 1
    }
}
