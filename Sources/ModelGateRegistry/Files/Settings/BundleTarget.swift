/// Where a bundle deploys: the deploy manifests it carries beside the Docker build context.
public enum BundleTarget: String, CaseIterable, Sendable {
    /// A Deployment, a Service, a NetworkPolicy, and an autoscaler and disruption budget where replicas ask.
    case kubernetes
    /// A KServe `InferenceService` in Standard mode (the name KServe 0.15+ gives raw Deployments), and a
    /// NetworkPolicy.
    case kserve
    /// A Docker Compose file.
    case compose

    /// The deploy manifests of the target: output path -> template name.
    package var manifestTemplates: [(output: String, template: String)] {
        switch self {
        case .kubernetes: return [("deployment.yaml", "deployment.yaml.mustache")]
        case .kserve: return [("inferenceservice.yaml", "inferenceservice.yaml.mustache")]
        case .compose: return [("compose.yaml", "compose.yaml.mustache")]
        }
    }

    /// The templates of the image's build context, the same for every target.
    package static let contextTemplates: [(output: String, template: String)] = [
        ("Dockerfile", "Dockerfile.mustache"), (".dockerignore", ".dockerignore.mustache"),
        ("requirements.txt", "requirements.txt.mustache"), ("serve.py", "serve.py.mustache"),
        ("gunicorn.conf.py", "gunicorn.conf.py.mustache"),
    ]
}
