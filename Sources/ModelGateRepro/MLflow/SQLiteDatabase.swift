internal import CSQLite
import Foundation
import ModelGateSupport

/// A SQLite database opened read-only, queried with bound parameters: the small typed wrapper over
/// libsqlite3 that reading an MLflow tracking store needs.
final class SQLiteDatabase {
    /// One value of a result row.
    enum Value: Equatable {
        case null
        case integer(Int64)
        case real(Double)
        case text(String)

        var text: String? {
            switch self {
            case .text(let text): text
            case .integer(let value): String(value)
            case .real(let value): String(value)
            case .null: nil
            }
        }

        var number: Double? {
            switch self {
            case .integer(let value): Double(value)
            case .real(let value): value
            case .text(let text): Double(text)
            case .null: nil
            }
        }
    }

    private let handle: OpaquePointer
    let path: String

    /// Opens `path` read-only; never creates it.
    init(readOnly path: String) throws {
        var handle: OpaquePointer?
        let code = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "error \(code)"
            if let handle { sqlite3_close(handle) }
            throw ModelGateError.badInput("cannot open the SQLite database \(path): \(message)")
        }
        self.handle = handle
        self.path = path
    }

    deinit { sqlite3_close(handle) }

    /// The rows `sql` returns with `arguments` bound to its `?` in order.
    func query(_ sql: String, _ arguments: [String] = []) throws -> [[Value]] {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw ModelGateError.badInput("\(path): \(String(cString: sqlite3_errmsg(handle)))")
        }
        defer { sqlite3_finalize(statement) }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        for (index, argument) in arguments.enumerated() {
            sqlite3_bind_text(statement, Int32(index + 1), argument, -1, transient)
        }
        var rows: [[Value]] = []
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { break }
            guard step == SQLITE_ROW else {
                throw ModelGateError.environment("\(path): \(String(cString: sqlite3_errmsg(handle)))")
            }
            rows.append(
                (0..<sqlite3_column_count(statement)).map { column in
                    switch sqlite3_column_type(statement, column) {
                    case SQLITE_INTEGER: .integer(sqlite3_column_int64(statement, column))
                    case SQLITE_FLOAT: .real(sqlite3_column_double(statement, column))
                    case SQLITE_NULL: .null
                    default: .text(sqlite3_column_text(statement, column).map { String(cString: $0) } ?? "")
                    }
                })
        }
        return rows
    }
}
