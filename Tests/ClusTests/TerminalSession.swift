import Foundation

/// Drives `clus` in a real pseudo-terminal through util-linux `script`, which
/// makes the pty the child's controlling terminal: Ctrl-C typed as \u{3}
/// reaches clus as SIGINT, exactly as from a keyboard.
final class TerminalSession: @unchecked Sendable {
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let lock = NSLock()
    private var received = Data()

    init(arguments: [String] = [], environment extra: [String: String] = [:]) throws {
        // `exec`: script runs the command through $SHELL, and a shell left
        // waiting (dash does not exec a lone command) would die of the Ctrl-C
        // meant for clus and turn its exit status into 130
        let command = "exec " + ([ClusProcess.binary.path] + arguments).map { "'" + $0 + "'" }.joined(separator: " ")
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = ["-qfec", command, "/dev/null"]
        process.currentDirectoryURL = ClusProcess.root
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "xterm"
        environment["SHELL"] = "/bin/sh"  // the same shell wherever the tests run
        environment["NO_COLOR"] = nil
        for (k, v) in extra { environment[k] = v }
        process.environment = environment
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.lock()
            self.received.append(data)
            self.lock.unlock()
        }
        try process.run()
    }

    /// Everything the terminal showed so far, with escape sequences removed.
    var screen: String {
        lock.lock()
        defer { lock.unlock() }
        return TerminalSession.plain(String(decoding: received, as: UTF8.self))
    }

    /// The raw bytes shown so far, escape sequences included.
    var raw: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: received, as: UTF8.self)
    }

    /// Types `keys` as a person would, then pauses a little.
    func type(_ keys: String) {
        send(keys)
        Thread.sleep(forTimeInterval: 0.15)
    }

    /// Sends `keys` without pausing, for timing.
    func send(_ keys: String) {
        input.fileHandleForWriting.write(Data(keys.utf8))
    }

    /// Waits until `text` has been shown `count` times; false on timeout.
    @discardableResult
    func waitFor(_ text: String, count: Int = 1, timeout: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if screen.components(separatedBy: text).count - 1 >= count { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return false
    }

    /// The count the last bar labelled `label` showed (the 1234 of
    /// "1234/5999"); nil before one is drawn.
    func progressShown(_ label: String) -> Int? {
        let text = screen
        guard let start = text.range(of: label, options: .backwards)?.upperBound,
              let count = text[start...].firstMatch(of: #/(\d+)\/\d+ /#) else { return nil }
        return Int(count.1)
    }

    /// Waits until a bar labelled `label` shows at least `done`; false on timeout.
    @discardableResult
    func waitForProgress(_ label: String, atLeast done: Int = 0, timeout: Double = 30) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let shown = progressShown(label), shown >= done { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return false
    }

    /// Sends Ctrl-C to a running command and waits for "interrupted" and the
    /// prompt after it; the seconds that took, nil on timeout.
    func interrupt(timeout: Double = 10) -> Double? {
        func count(_ text: String, _ part: String) -> Int { text.components(separatedBy: part).count - 1 }
        let before = screen
        let interrupted = count(before, "interrupted"), prompts = count(before, "clus> ")
        let sent = Date()
        send("\u{3}")
        let deadline = sent.addingTimeInterval(timeout)
        while Date() < deadline {
            let text = screen
            if count(text, "interrupted") > interrupted, count(text, "clus> ") > prompts {
                return Date().timeIntervalSince(sent)
            }
            Thread.sleep(forTimeInterval: 0.002)
        }
        return nil
    }

    /// Waits for the prompt after the last command's output, types Ctrl-D
    /// (end of input at an empty prompt) and waits for clus to exit: its
    /// status, nil on timeout. Typed before the prompt is back, on a loaded
    /// machine the Ctrl-D reached clus before its line editor read again.
    func quit(timeout: Double = 30) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline, !screen.trimmingCharacters(in: .whitespaces).hasSuffix("clus>") {
            Thread.sleep(forTimeInterval: 0.01)
        }
        send("\u{4}")
        return waitForExit(timeout: max(1, deadline.timeIntervalSinceNow))
    }

    /// Waits for clus to exit and returns its status.
    func waitForExit(timeout: Double = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            process.terminate()
            return nil
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { process.terminate() }
        output.fileHandleForReading.readabilityHandler = nil
    }

    /// Removes ANSI escape sequences and carriage returns.
    static func plain(_ text: String) -> String {
        text.replacingOccurrences(of: "\u{1B}\\[[0-9;?]*[A-Za-z]", with: "", options: .regularExpression)
            .replacingOccurrences(of: "\r", with: "")
    }
}
