import PodiumMetrics
import PodiumParallel
import PodiumTables

/// The answer key and the submission, opened side by side; released as soon as they are
/// parsed so that the metrics run without the files mapped.
struct OpenFiles {
    var solutionPath = ""
    var solution: InputBytes?
    var submission: InputBytes?

    /// Opens the solution and the submission — from its path, or from bytes already read.
    static func open(solution: String, submission: String, bytes: InputBytes? = nil, parallelism: Parallelism)
        throws(JudgeError) -> OpenFiles
    {
        let results = concurrentMap(2, parallelism) { k in
            Result { () throws(IntakeError) in
                if k == 0 { return try InputBytes(mapping: solution) }
                if let bytes { return try SubmissionFile.open(bytes: bytes) }
                return try SubmissionFile.open(submission)
            }
        }
        let s: InputBytes
        switch results[0] {
        case .success(let b): s = b
        case .failure(let e): throw JudgeError(e, file: "solution.csv")
        }
        switch results[1] {
        case .success(let b): return OpenFiles(solutionPath: solution, solution: s, submission: b)
        case .failure(let e): throw JudgeError(e)
        }
    }

    /// Reads the solution with `body`; its refusal is the solution file's (`solution.csv`).
    func readSolution<T>(_ body: (InputBytes) throws(IntakeError) -> T) throws(JudgeError) -> T {
        guard let solution else { throw Self.released }
        do { return try body(solution) } catch { throw JudgeError(error, file: "solution.csv") }
    }

    /// Reads the submission with `body`; its refusal is the submission's.
    func readSubmission<T>(_ body: (InputBytes) throws(IntakeError) -> T) throws(JudgeError) -> T {
        guard let submission else { throw Self.released }
        do { return try body(submission) } catch { throw JudgeError(error) }
    }

    /// A read after `release()`: the judge's own mistake.
    static var released: JudgeError {
        var error = JudgeError(code: .internalFailure, message: "the files were released before they were read")
        error.isInternal = true
        return error
    }

    mutating func release() {
        solution = nil
        submission = nil
    }
}
