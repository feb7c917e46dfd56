// ModelGateKit is the library as one module: the registry, the gate and every feature over them, with the
// layers below (their values carry diagnostics, object ids and YAML nodes). The command line imports it;
// each part is also a module of its own, and the build holds their dependencies to one direction.
@_exported import ModelGateBundle
@_exported import ModelGateDrift
@_exported import ModelGateGate
@_exported import ModelGateGit
@_exported import ModelGateImport
@_exported import ModelGatePromotion
@_exported import ModelGateRegistry
@_exported import ModelGateRepro
@_exported import ModelGateSite
@_exported import ModelGateSupport
@_exported import ModelGateYAML
