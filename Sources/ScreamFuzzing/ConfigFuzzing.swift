import ScreamCore

/// The `config` target: the bytes as the YAML text of a parameter file (`--params`) and of a
/// config file, read the way the CLI reads them (Yams underneath).
///
/// A parameter file that reads must print (`--print-params`) to YAML that reads back to the
/// same parameters, whatever the base it is read over.
enum ConfigFuzzing {
    static func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        if let params = try? ParameterFile.parse(text, path: "fuzz.yaml", over: Preset.classic.params) {
            _ = try? params.validate()
            let printed = ParameterFile.yaml(for: params)
            guard let again = try? ParameterFile.parse(printed, path: "printed.yaml", over: Preset.robot.params) else {
                preconditionFailure("printed parameters do not read back:\n\(printed)")
            }
            precondition(again == params, "printed parameters read back to other values:\n\(printed)")
        }
        _ = try? SettingsLoader.parseConfig(text, path: "config.yaml")
    }
}
