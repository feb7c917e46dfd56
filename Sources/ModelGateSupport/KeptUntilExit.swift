import Synchronization

/// Values kept until the process exits and never freed.
///
/// A command about to exit hands its largest result here (a whole loaded registry) so that its last tens of
/// milliseconds are not spent releasing, one by one, hundreds of thousands of strings, arrays and
/// dictionaries the operating system is about to reclaim at once: Git's `UNLEAK` and Clang's
/// `-disable-free` do the same. Kept values stay reachable, so leak checkers do not report them; a library
/// caller never needs this.
public enum KeptUntilExit {
    private static let values = Mutex<[any Sendable]>([])

    public static func keep(_ value: some Sendable) {
        values.withLock { $0.append(value) }
    }

    /// An object kept the same way that may not cross threads (a library handle): it is only held, never
    /// used again, so where it is held does not matter.
    public static func keep(object: AnyObject) {
        values.withLock { $0.append(Held(object: object)) }
    }

    private struct Held: @unchecked Sendable {
        let object: AnyObject
    }
}
