import Intake
import Metrics

/// The answer key and the submission, opened side by side; released as soon as they are
/// parsed so that the metrics run without the files mapped.
struct OpenFiles {
    var solution: ByteBuffer?
    var submission: ByteBuffer?

    static func open(solution: String, submission: String) throws(JudgeError) -> OpenFiles {
        let results = concurrentMap(2) { k in
            Result { () throws(IntakeError) in
                k == 0 ? try ByteBuffer(mapping: solution) : try SubmissionFile.open(submission)
            }
        }
        let s: ByteBuffer
        switch results[0] {
        case .success(let b): s = b
        case .failure(let e): throw JudgeError(e, file: "solution.csv")
        }
        switch results[1] {
        case .success(let b): return OpenFiles(solution: s, submission: b)
        case .failure(let e): throw JudgeError(e)
        }
    }

    mutating func release() {
        solution = nil
        submission = nil
    }
}
