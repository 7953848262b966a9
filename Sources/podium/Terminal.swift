import Foundation
import PodiumDomain

/// Questions asked on the terminal: a line, or a password without echo (termios). When
/// standard input is not a terminal, the answer is its next line (so a test or a script can pipe it).
enum Terminal {
    static func ask(_ prompt: String) throws(JudgeError) -> String {
        if isatty(0) == 1 { FileHandle.standardError.write(Data(prompt.utf8)) }
        return try answer(prompt)
    }

    static func password(_ prompt: String) throws(JudgeError) -> String {
        guard isatty(0) == 1 else { return try answer(prompt) }
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        tcgetattr(0, &saved)
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(0, TCSAFLUSH, &quiet)
        defer {
            tcsetattr(0, TCSAFLUSH, &saved)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return try answer(prompt)
    }

    static func answer(_ prompt: String) throws(JudgeError) -> String {
        guard var line = readLine(strippingNewline: true) else {
            throw JudgeError(code: .usage, message: "no answer to \"\(prompt.trimmingCharacters(in: .whitespaces))\"")
        }
        if line.hasSuffix("\r") { line.removeLast() }
        guard !line.isEmpty else {
            throw JudgeError(
                code: .usage, message: "an empty answer to \"\(prompt.trimmingCharacters(in: .whitespaces))\"")
        }
        return line
    }
}
