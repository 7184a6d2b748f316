import ArgumentParser
import ScreamCore

/// `scream presets`: the built-in screams with their length and character.
struct PresetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presets",
        abstract: "List the built-in presets.",
        discussion: """
            Examples:
              scream presets
              scream generate out.ogg --preset death-metal
            """)

    func run() {
        let width = Preset.allCases.map(\.rawValue.count).max() ?? 0
        for preset in Preset.allCases {
            let name = preset.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
            let length = DurationText.text(for: preset.params.duration)
            print("\(name)  \(length)  \(preset.summary)")
        }
    }
}
