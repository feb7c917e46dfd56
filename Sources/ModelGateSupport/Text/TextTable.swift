import Foundation

/// A plain-text table with columns padded to their widest cell.
public struct TextTable {
    var rows: [[String]]

    public init(header: [String]) { rows = [header] }

    /// Adds a row; registry text in it is escaped (no control character reaches the terminal).
    public mutating func append(_ row: [String]) { rows.append(row.map(Escape.control)) }

    public func rendered() -> String {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { column in rows.map { $0.count > column ? $0[column].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padded(to: widths[index])
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}

extension String {
    /// The string followed by spaces up to `width` characters (unchanged when it is as long already): the
    /// columns of every text report. Foundation's `padding(toLength:withPad:startingAt:)` goes through
    /// `NSString` and cost more than the rest of a 2,000-line report.
    public func padded(to width: Int) -> String {
        let missing = width - count
        return missing > 0 ? self + String(repeating: " ", count: missing) : self
    }
}
