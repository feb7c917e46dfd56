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
    /// An image with `curl`, pinned by digest: the download step that fetches the data files Git does not
    /// hold from their `uri` (nil: a Job trains on data in Git only).
    public var downloadImage: String?
    /// The Secret holding the signing key (key `signing.pem`), mounted into the attest step only.
    public var signingSecret = "modelgate-signing-key"
    /// The Secret holding a token for the Git host (key `token`), given to the fetch step only; nil for a
    /// repository that needs none.
    public var gitTokenSecret: String?
    /// `job.maxResources`: the most a version's `training.resources` may ask the cluster for; nil, no cap.
    public var maxResources: TrainingResources?

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
        settings.image = pinnedImage(fields, "image", why: "it holds the signing step", reader: reader)
        settings.downloadImage = pinnedImage(
            fields, "downloadImage", why: "it writes the data the training reads", reader: reader)
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
        settings.maxResources = fields.fields("maxResources").map { TrainingResources.read($0, reader: reader) }
        fields.finish(allowing: [
            "repository", "egress", "image", "downloadImage", "namespace", "signingSecret", "gitTokenSecret",
            "maxResources",
        ])
        return settings
    }

    /// The image reference under `key`, which must be pinned by digest.
    private static func pinnedImage(
        _ fields: SchemaReader.Fields, _ key: String, why: String, reader: SchemaReader
    ) -> String? {
        guard let image = fields.string(key) else { return nil }
        if let problem = ImageReference.problem(image) {
            reader.error("job.\(key) \(Quoted(image)) \(problem)", at: fields.location(of: key))
        } else if !image.contains("@sha256:") {
            reader.error(
                "job.\(key) \(Quoted(image)) must be pinned by digest (@sha256:…): \(why)",
                at: fields.location(of: key))
        } else {
            return image
        }
        return nil
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
