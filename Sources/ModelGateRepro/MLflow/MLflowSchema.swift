import ModelGateSupport

/// The tables and columns of MLflow's SQLite store that the import reads. A store is judged by them, not by
/// its schema revision: a newer MLflow that keeps them is read (with a note naming the revision), and a store
/// that lacks one is refused naming the table and column.
enum MLflowSchema {
    /// What reading a run needs.
    static let runs: [(table: String, columns: [String])] = [
        ("runs", ["run_uuid", "artifact_uri"]),
        ("params", ["run_uuid", "key", "value"]),
        ("tags", ["run_uuid", "key", "value"]),
        ("metrics", ["run_uuid", "key", "value", "timestamp", "step", "is_nan"]),
    ]

    /// What resolving `models:/NAME/VERSION` or `models:/NAME@ALIAS` needs, beyond the run's.
    static let registry: [(table: String, columns: [String])] = [
        ("registered_model_aliases", ["name", "alias", "version"]),
        ("model_versions", ["name", "version", "run_id", "source", "storage_location"]),
        ("logged_models", ["model_id", "artifact_location", "source_run_id"]),
    ]

    /// The schema revisions (alembic) that MLflow 3.7 to 3.17 write, newest first: a store at one of these
    /// is read without a note.
    static let knownRevisions: Set<String> = [
        "dc11669786a5", "75868b020152", "b7e2c1a4d9f3", "17e22815139b", "1971f2d9a75b", "6f8d9c3b2a1e", "c3d9e7f1a2b4",
        "c1d2e3f4a5b6", "a8b9c0d1e2f3", "b7e4c1a90f23", "89d3d66ed43f", "da6fb0208061", "7d34483879f0", "ae8bbe7743c9",
        "a5b4c3d2e1f0", "c3d6457b6d8a", "76601a5f987d", "e1f2a3b4c5d6", "1b5f0d9ad7c1", "c8d9e0f1a2b3", "d0e1f2a3b4c5",
        "d3e4f5a6b7c8", "2c33131f4dae", "c9d4e5f6a7b8", "5d2d30f0abce", "b7c8d9e0f1a2", "1bd49d398cd23", "bf29a5ff90ea",
    ]

    /// `table.column` for each of `needed` the database lacks, in the order listed.
    static func missing(_ needed: [(table: String, columns: [String])], in database: SQLiteDatabase) throws -> [String]
    {
        var missing: [String] = []
        for (table, columns) in needed {
            let present = Set(
                try database.query("SELECT name FROM pragma_table_info(?)", [table]).compactMap { $0[0].text })
            missing += columns.filter { !present.contains($0) }.map { "\(table).\($0)" }
        }
        return missing
    }
}
