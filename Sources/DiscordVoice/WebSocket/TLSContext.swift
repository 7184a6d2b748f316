import NIOSSL

/// Builds the client TLS context: system roots plus any extra PEM CAs from a file.
enum TLSContext {
    /// A context trusting the system roots and, when given, the certificates in `caFile`.
    static func make(caFile: String?) throws(DiscordVoiceError) -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if let caFile {
            do {
                let certificates = try NIOSSLCertificate.fromPEMFile(caFile)
                guard !certificates.isEmpty else {
                    throw DiscordVoiceError.caFileUnreadable(path: caFile, reason: "no PEM certificates in it")
                }
                configuration.additionalTrustRoots = [.certificates(certificates)]
            } catch let error as DiscordVoiceError {
                throw error
            } catch {
                throw .caFileUnreadable(path: caFile, reason: "\(error)")
            }
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw .caFileUnreadable(path: caFile ?? "(system roots)", reason: "\(error)")
        }
    }
}
