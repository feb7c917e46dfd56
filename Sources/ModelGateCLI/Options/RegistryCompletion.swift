import ArgumentParser
import Foundation
import ModelGateKit

/// Shell completion from the registry at hand: the shells call back into modelgate, which lists the model
/// names, `MODEL@VERSION`s or stages of the repository in the current directory at HEAD. Any problem
/// (no repository, an invalid registry) completes nothing rather than printing an error into the prompt.
enum RegistryCompletion {
    /// The registry of the current directory's repository at HEAD, or nil.
    static func registry() -> Registry? {
        guard let repository = try? Repository.open(at: FileManager.default.currentDirectoryPath, search: true),
            let head = try? repository.resolveCommit("HEAD")
        else { return nil }
        return try? RegistryLoader(repository: repository).load(at: head)
    }

    /// Model names.
    static let models = CompletionKind.custom { _, _, _ in
        registry().map { $0.models.keys.sorted() } ?? []
    }

    /// `MODEL@VERSION` for every version, and the bare model names (for `--stage` forms).
    static let references = CompletionKind.custom { _, _, _ in
        guard let registry = registry() else { return [] }
        return registry.models.keys.sorted().flatMap { name in
            [name] + (registry.models[name]?.versions.keys.sorted() ?? []).map { "\(name)@\($0)" }
        }
    }

    /// The stages of the ladder.
    static let stages = CompletionKind.custom { _, _, _ in
        registry()?.settings.stages ?? RegistrySettings.defaultStages
    }
}
