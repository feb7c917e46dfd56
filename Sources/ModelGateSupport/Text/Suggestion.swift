/// The nearest of some names to a misspelt one, for "did you mean" hints.
public enum Suggestion {
    /// The candidate within an edit distance of a third of `text`'s length (at least 1, at most 3), the
    /// closest first, ties broken by name; nil when none is that close.
    public static func nearest<S: Sequence>(to text: String, in candidates: S) -> String? where S.Element == String {
        let limit = min(3, max(1, text.count / 3))
        return candidates.map { ($0, distance(text, $0)) }.filter { $0.1 <= limit }
            .min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
    }

    /// The edit distance between two strings, by Unicode scalars, counting a swap of two neighbours as one
    /// edit (the optimal string alignment distance: `evn` is one edit from `env`).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
