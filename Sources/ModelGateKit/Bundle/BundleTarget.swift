/// Where a bundle deploys: the deploy manifests it carries beside the Docker build context.
public enum BundleTarget: String, CaseIterable, Sendable {
    /// A Deployment, a Service and a NetworkPolicy.
    case kubernetes
    /// A KServe `InferenceService` with a custom predictor container.
    case kserve
    /// A Docker Compose file.
    case compose

    /// The templates every bundle renders, then the target's own: output path -> template name.
    var templates: [(output: String, template: String)] {
        let common = [
            ("Dockerfile", "Dockerfile.mustache"), (".dockerignore", ".dockerignore.mustache"),
            ("requirements.txt", "requirements.txt.mustache"), ("serve.py", "serve.py.mustache"),
        ]
        switch self {
        case .kubernetes: return common + [("deployment.yaml", "deployment.yaml.mustache")]
        case .kserve: return common + [("inferenceservice.yaml", "inferenceservice.yaml.mustache")]
        case .compose: return common + [("compose.yaml", "compose.yaml.mustache")]
        }
    }
}
