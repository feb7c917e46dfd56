import Foundation

/// A value computed on another thread, waited for when it is needed.
public final class Pending<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var value: Value?
    /// Set by the (one) thread that waits, once the worker has signalled.
    private var finished = false

    public init(_ work: @escaping @Sendable () -> Value) {
        Thread.detachNewThread { [self] in
            value = work()
            done.signal()
        }
    }

    /// The value, once computed (waits for it the first time). Called from one thread.
    public func wait() -> Value {
        if !finished {
            done.wait()
            finished = true
        }
        // Force unwrap: the worker sets the value before it signals `done`.
        return value!
    }
}
