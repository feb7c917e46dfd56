import Foundation

/// Work spread over the cores with results kept in order: the one place the unsafe result buffer that
/// `DispatchQueue.concurrentPerform` needs is written.
public enum Concurrently {
    /// `transform` of every index of `0..<count`, each index on its own iteration; in index order.
    @inlinable
    public static func map<T>(_ count: Int, _ transform: (Int) -> T) -> [T] {
        map(count, workers: count, state: { _ in () }) { _, index in transform(index) }
    }

    /// `transform` of every index of `0..<count` by `workers` threads, each with its own `state` (made once
    /// per worker: a buffer, a library handle that must not be shared); worker `w` takes `w`, `w + workers`,
    /// and so on. Results in index order.
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
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let state = makeState(worker)
            var index = worker
            while index < count {
                output[index] = transform(state, index)
                index += workers
            }
        }
        // Every result moves out of the buffer (no copy, and nothing left to deinitialize).
        // Force unwrap: the buffer holds `count` results, each initialized by its worker.
        return (0..<count).map { (results.baseAddress! + $0).move()! }
    }
}
