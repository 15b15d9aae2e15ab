import Foundation
import Testing

/// A throwaway PostgreSQL 15 server from Debian's `postgresql-15` package:
/// its own data folder in a temporary directory, listening only on a Unix
/// socket there (no TCP port to collide with), trust authentication for the
/// user `clus`. initdb refuses to run as root, so as root the server runs as
/// the package's `postgres` user, which owns the directory.
final class PostgresServer {
    static let binaries = "/usr/lib/postgresql/15/bin"

    /// Why no server could be had.
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    let directory: URL
    /// A libpq connection string for the server's `postgres` database.
    let conninfo: String
    private var running = false

    /// Starts a server, or says why it cannot. When the binaries are missing
    /// outside CI the caller may skip; in CI (CI=true) every test that needs
    /// the server fails with this message (Scripts/setup installs the package).
    init() throws {
        guard FileManager.default.isExecutableFile(atPath: PostgresServer.binaries + "/initdb") else {
            throw Unavailable(description: "PostgreSQL 15 is not installed (\(PostgresServer.binaries)/initdb is missing); Scripts/setup installs postgresql-15")
        }
        // /tmp, not $TMPDIR: the postgres user must reach it, and a socket's path has at most 107 bytes
        directory = URL(fileURLWithPath: "/tmp").appendingPathComponent("clus-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        conninfo = "host=\(directory.path) port=5432 user=clus dbname=postgres"
        if getuid() == 0 {
            try FileManager.default.setAttributes([.ownerAccountName: "postgres"], ofItemAtPath: directory.path)
        }
        let data = directory.appendingPathComponent("data").path
        do {
            try asServerUser("initdb", ["-D", data, "-A", "trust", "-U", "clus", "-E", "UTF8", "--locale=C", "--no-sync"])
            try asServerUser("pg_ctl", ["-D", data, "-l", directory.appendingPathComponent("log").path, "-w", "-t", "60",
                                        "-o", "-k \(directory.path) -c listen_addresses= -c fsync=off", "start"])
            running = true
        } catch {
            let log = (try? String(contentsOf: directory.appendingPathComponent("log"), encoding: .utf8)) ?? ""
            stop()
            throw Unavailable(description: "could not start PostgreSQL in \(directory.path): \(error)\n\(log)")
        }
    }

    /// The server if one starts; nil (after saying why) when PostgreSQL is not
    /// installed outside CI. A failure to start records a test failure.
    static func start() -> PostgresServer? {
        do {
            return try PostgresServer()
        } catch {
            let installed = FileManager.default.isExecutableFile(atPath: binaries + "/initdb")
            if !installed && ProcessInfo.processInfo.environment["CI"] != "true" {
                print("note: PostgreSQL tests skipped: \(error)")
                return nil
            }
            Issue.record("PostgreSQL server needed and not started: \(error)")
            return nil
        }
    }

    deinit { stop() }

    /// Stops the server (immediately: the data is thrown away) and removes its folder.
    func stop() {
        if running {
            _ = try? asServerUser("pg_ctl", ["-D", directory.appendingPathComponent("data").path, "-m", "immediate", "-w", "stop"])
            running = false
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs SQL (a string or a file) through psql, stopping at the first error.
    func psql(_ sql: String? = nil, file: String? = nil) throws {
        var arguments = [conninfo, "-q", "-X", "-v", "ON_ERROR_STOP=1"]
        if let sql { arguments += ["-c", sql] }
        if let file { arguments += ["-f", file] }
        try PostgresServer.run(PostgresServer.binaries + "/psql", arguments)
    }

    /// What psql prints for `sql`, unaligned without headers.
    func query(_ sql: String) throws -> String {
        try PostgresServer.run(PostgresServer.binaries + "/psql", [conninfo, "-X", "-A", "-t", "-c", sql])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    private func asServerUser(_ tool: String, _ arguments: [String]) throws -> String {
        let path = PostgresServer.binaries + "/" + tool
        if getuid() == 0 { return try PostgresServer.run("/usr/sbin/runuser", ["-u", "postgres", "--", path] + arguments) }
        return try PostgresServer.run(path, arguments)
    }

    @discardableResult
    private static func run(_ executable: String, _ arguments: [String]) throws -> String {
        // posix_spawn and waitpid rather than Foundation's Process, whose
        // wait did not return for runuser's child here; output to a file, not
        // a pipe, which the server pg_ctl starts would hold open
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("clus-pg-output-\(UUID().uuidString)").path
        defer { unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else { throw Unavailable(description: "cannot run \(executable): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exited = status & 0x7F == 0, code = (status >> 8) & 0xFF
        guard exited && code == 0 else {
            throw Unavailable(description: "\((executable as NSString).lastPathComponent) failed (status \(status)): \(text)")
        }
        return text
    }
}
