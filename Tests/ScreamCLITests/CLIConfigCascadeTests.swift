import Foundation
import Testing

/// The cascade defaults < config file < environment < flags, with a real YAML file and real
/// environment variables handed to the child process. `--print-params` shows the outcome.
@Suite struct CLIConfigCascadeTests {
    /// The printed `duration:` line and the primary layer's base frequency (which names the preset).
    private func resolved(_ arguments: [String], in folder: URL, environment: [String: String]) throws -> (duration: String, base: String) {
        let result = try ScreamBinary.run(["generate", "--print-params"] + arguments, in: folder, environment: environment)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let lines = result.stdoutText.split(separator: "\n").map(String.init)
        let duration = lines.first { $0.hasPrefix("duration: ") } ?? ""
        let primary = lines.first { $0.hasPrefix("  primary_scream:") } ?? ""
        let base = primary.split(separator: "base_freq: ").dropFirst().first?.split(separator: ",").first.map(String.init) ?? ""
        return (duration, base)
    }

    private func writeConfig(_ text: String, to folder: URL, name: String = "scream.yaml") throws -> String {
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        return name
    }

    @Test func eachLaterSourceOverridesTheEarlierOnes() throws {
        let folder = try scratchFolder()
        let config = try writeConfig("preset: whisper\nduration: 1s\n", to: folder)
        // whisper's primary base is 300 Hz, robot's 400 Hz, banshee's 600 Hz (design table).
        let fileOnly = try resolved(["--config", config], in: folder, environment: [:])
        #expect(fileOnly == ("duration: 1s", "300"))
        let withEnvironment = try resolved(
            ["--config", config], in: folder, environment: ["SCREAM_DURATION": "500ms", "SCREAM_PRESET": "robot"])
        #expect(withEnvironment == ("duration: 0.5s", "400"))
        let withFlags = try resolved(
            ["--config", config, "--duration", "250ms", "--preset", "banshee"], in: folder,
            environment: ["SCREAM_DURATION": "500ms", "SCREAM_PRESET": "robot"])
        #expect(withFlags == ("duration: 0.25s", "600"))
        let defaults = try resolved(["--seed", "1"], in: folder, environment: [:])
        #expect(defaults.duration != "duration: 1s")
    }

    @Test func configFileIsFoundUnderXDGConfigHome() throws {
        let folder = try scratchFolder()
        let xdg = folder.appendingPathComponent("xdg/scream")
        try FileManager.default.createDirectory(at: xdg, withIntermediateDirectories: true)
        try "preset: death-metal\n".write(to: xdg.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
        let found = try resolved([], in: folder, environment: ["XDG_CONFIG_HOME": folder.appendingPathComponent("xdg").path])
        #expect(found == ("duration: 4s", "150"))
    }

    @Test func configFileIsFoundUnderHomeDotConfig() throws {
        let folder = try scratchFolder()
        let home = folder.appendingPathComponent(".home/.config/scream")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try "preset: glitch\nduration: 2s\n".write(to: home.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
        #expect(try resolved([], in: folder, environment: [:]) == ("duration: 2s", "700"))
    }

    @Test func explicitConfigWinsOverTheDefaultLocation() throws {
        let folder = try scratchFolder()
        let home = folder.appendingPathComponent(".home/.config/scream")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try "preset: glitch\n".write(to: home.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
        let config = try writeConfig("preset: robot\n", to: folder)
        #expect(try resolved(["--config", config], in: folder, environment: [:]).base == "400")
    }

    @Test func formatFromTheEnvironmentAppliesWhenTheNameHasNoExtension() throws {
        let folder = try scratchFolder()
        let result = try ScreamBinary.run(
            ["generate", "out", "--preset", "classic", "--duration", "0.1s"], in: folder, environment: ["SCREAM_FORMAT": "wav"])
        #expect(result.status == 0)
        let data = try Data(contentsOf: folder.appendingPathComponent("out"))
        #expect(data.prefix(4) == Data("RIFF".utf8))
    }

    @Test func extensionBeatsAFormatFromTheConfigFile() throws {
        let folder = try scratchFolder()
        let config = try writeConfig("format: wav\n", to: folder)
        let result = try ScreamBinary.run(["generate", "out.ogg", "--config", config, "--preset", "classic", "--duration", "0.1s"], in: folder)
        #expect(result.status == 0)
        #expect(try Data(contentsOf: folder.appendingPathComponent("out.ogg")).prefix(4) == Data("OggS".utf8))
    }

    @Test func logLevelFromTheEnvironmentTurnsOnInfoLogs() throws {
        let folder = try scratchFolder()
        let quiet = try ScreamBinary.run(["generate", "a.ogg", "--preset", "classic", "--duration", "0.1s"], in: folder)
        #expect(quiet.stderr.isEmpty)
        let loud = try ScreamBinary.run(
            ["generate", "b.ogg", "--preset", "classic", "--duration", "0.1s"], in: folder,
            environment: ["SCREAM_LOG_LEVEL": "info"])
        #expect(loud.stderr.contains("info scream: [ScreamCore] wrote b.ogg"))
        let flagWins = try ScreamBinary.run(
            ["generate", "c.ogg", "--preset", "classic", "--duration", "0.1s", "--log-level", "error"], in: folder,
            environment: ["SCREAM_LOG_LEVEL": "info"])
        #expect(flagWins.stderr.isEmpty)
    }
}
