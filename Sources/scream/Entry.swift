import ArgumentParser
import Foundation
import ScreamCore

/// The process entry point: parses, runs, and turns every error into one sentence on
/// standard error and a documented exit status.
@main
enum Entry {
    static func main() async {
        signal(SIGPIPE, SIG_IGN)
        let command: ParsableCommand
        do {
            let arguments = Array(CommandLine.arguments.dropFirst())
            try UsageError.checkRepeatedOptions(arguments)
            try checkHelpTopic(arguments)
            command = try Scream.parseAsRoot(arguments)
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

    /// `scream help NAME …` names commands that exist; argument parser would print the
    /// top-level help for a name it does not know.
    private static func checkHelpTopic(_ arguments: [String]) throws {
        guard arguments.first == "help" else { return }
        var commands: [ParsableCommand.Type] = Scream.configuration.subcommands
        for name in arguments.dropFirst() where !name.hasPrefix("-") {
            let names = commands.map { $0.configuration.commandName ?? "" }
            guard let match = commands.first(where: { $0.configuration.commandName == name }) else {
                throw UsageError.unknownCommand(name, known: names)
            }
            commands = match.configuration.subcommands
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
