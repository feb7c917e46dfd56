/// What a command found, as one value, in every format its command declares (`DocumentedCommand.formats`):
/// a command produces one and hands it to the console, never building output itself. The gate's own report
/// goes through a `GateReporter` per format instead, because its renderings take colour and stream to CI.
public protocol CommandReport {
    /// The report in `format`, one of its command's formats (anything else renders as text).
    func rendered(as format: ReportFormat) -> String

    /// The text report under `--quiet`: only what must be seen anyway; nothing by default.
    var quietText: String { get }
}

extension CommandReport {
    public var quietText: String { "" }

    /// The report as a console shows it: in `format`, cut down to `quietText` for a quiet text report.
    public func rendered(as format: ReportFormat, quiet: Bool) -> String {
        quiet && format == .text ? quietText : rendered(as: format)
    }
}
