import Foundation
import Synchronization

/// Work spread over the cores with results kept in order: the one place the unsafe result buffer that
/// `DispatchQueue.concurrentPerform` needs is written.
public enum Concurrently {
    /// `transform` of every index of `0..<count`, each index on its own iteration; in index order.
    @inlinable
    public static func map<T>(_ count: Int, _ transform: (Int) -> T) -> [T] {
        map(count, workers: count, state: { _ in () }) { _, index in transform(index) }
    }

    /// `transform` of every index of `0..<count` by `workers` threads, each with its own `state` (made once
    /// per worker: a buffer, a library handle that must not be shared). Each worker takes the next index not
    /// taken yet, so a worker that is slowed (a long item, a core lent to another process) leaves the rest to
    /// the others instead of to the end. Results in index order.
    @inlinable
    public static func map<State, T>(
        _ count: Int, workers: Int, state makeState: (Int) -> State, _ transform: (State, Int) -> T
    ) -> [T] {
        guard count > 0 else { return [] }
        let workers = max(1, min(workers, count))
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        // Each index is written by one worker only; the closures run only during this call, and a state
        // only on the worker that made it.
        nonisolated(unsafe) let output = results
        nonisolated(unsafe) let makeState = makeState
        nonisolated(unsafe) let transform = transform
        let next = Atomic(0)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let state = makeState(worker)
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < count else { break }
                output[index] = transform(state, index)
            }
        }
        // Every result moves out of the buffer (no copy, and nothing left to deinitialize).
        // Force unwrap: the buffer holds `count` results, each initialized by its worker.
        return (0..<count).map { (results.baseAddress! + $0).move()! }
    }
}
