import ArgumentParser
import Foundation
import ScreamCore

/// The process entry point: parses, runs, and turns every error into one sentence on
/// standard error and a documented exit status.
@main
enum Entry {
    static func main() async {
        let command: ParsableCommand
        do {
            command = try Scream.parseAsRoot()
        } catch {
            fail(error)
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var command = command
                try command.run()
            }
        } catch {
            fail(error)
        }
    }

    /// Prints help or version for clean exits, else `error: <sentence>`, and exits.
    private static func fail(_ error: Error) -> Never {
        guard let status = ExitStatus(for: error) else {
            Scream.exit(withError: error)
        }
        FileHandle.standardError.write(Data("error: \(status.sentence)\n".utf8))
        exit(status.code)
    }
}
