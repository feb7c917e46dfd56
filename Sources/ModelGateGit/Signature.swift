import Foundation
import ModelGateSupport

/// Who made a commit, and when.
public struct Signature: Hashable, Sendable {
    public var name: String
    public var email: String
    public var date: Date
    /// Minutes east of UTC.
    public var timeZoneOffset: Int

    public init(name: String, email: String, date: Date = Date(), timeZoneOffset: Int = 0) {
        self.name = name
        self.email = email
        self.date = date
        self.timeZoneOffset = timeZoneOffset
    }

    /// Parses `Name <email>`, as `git commit --author` takes it.
    public init?(parsing text: String, date: Date = Date()) {
        guard let open = text.lastIndex(of: "<"), text.hasSuffix(">") else { return nil }
        let name = text[..<open].trimmingCharacters(in: .whitespaces)
        let email = text[text.index(after: open)..<text.index(before: text.endIndex)]
        guard !name.isEmpty, !email.isEmpty, !email.contains("<"), !email.contains(">") else { return nil }
        self.init(name: name, email: String(email), date: date)
    }
}

/// A commit as modelgate reads it: its id, first parent, author and subject.
public struct CommitInfo: Hashable, Sendable {
    public var id: ObjectID
    public var tree: ObjectID
    public var parents: [ObjectID]
    public var author: Signature
    public var committer: Signature
    public var summary: String
}
