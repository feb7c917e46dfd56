internal import CGit2

/// The names of the references modelgate creates.
public enum ReferenceName {
    /// A branch (`refs/heads/…`) that Git accepts (libgit2's `git_reference_name_is_valid`, the rules of
    /// `git check-ref-format`) and that holds only letters, digits, `.`, `_`, `-` and `/`: names modelgate
    /// writes end up in logs and pull-request messages, so nothing more exotic is allowed.
    public static func isValidBranch(_ name: String) -> Bool {
        guard name.hasPrefix("refs/heads/"),
            name.utf8.allSatisfy({ byte in
                (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
                    || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
                    || byte == UInt8(ascii: "/")
            })
        else { return false }
        GitLibrary.ensureInitialized()
        var valid: Int32 = 0
        return git_reference_name_is_valid(&valid, name) == 0 && valid == 1
    }
}
