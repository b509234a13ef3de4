/// One certificate a TLS server presents, with the host names it serves.
public struct TLSCertificateConfig: Sendable, Equatable {
    /// PEM file with the leaf certificate first, followed by its intermediates.
    public var certificateChainPath: String
    /// PEM file with the unencrypted private key of the leaf certificate.
    public var privateKeyPath: String
    /// Host names (exact or `*.suffix`) selected by SNI; empty takes the certificate's DNS names and host-like CN.
    public var serverNames: [String]

    /// Creates a certificate configuration.
    public init(certificateChainPath: String, privateKeyPath: String, serverNames: [String] = []) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
        self.serverNames = serverNames
    }
}
