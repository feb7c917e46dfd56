// The layers below the Kit are part of its interface (its values carry their diagnostics, object ids and
// YAML nodes), so a client importing ModelGateKit sees them too.
@_exported import ModelGateGit
@_exported import ModelGateSupport
@_exported import ModelGateYAML
