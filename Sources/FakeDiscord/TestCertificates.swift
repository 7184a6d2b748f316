/// The fake's long-lived test PKI: a CA and a server certificate for 127.0.0.1 and localhost,
/// both valid until 2126, so no test needs the openssl CLI. The CA's private key was deleted
/// after signing, so nothing else can be signed with it. Made once with:
///
/// ```sh
/// openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500 \
///   -subj "/CN=FakeDiscord Test CA" -keyout ca.key -out ca.pem \
///   -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
/// openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
///   -subj "/CN=localhost" -keyout server.key -out server.csr
/// openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 36500 -out server.pem \
///   -extfile <(printf "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n")
/// ```
///
/// To replace them, rerun the commands and paste ca.pem, server.pem and server.key below.
enum TestCertificates {
    /// The test CA certificate: what SCREAM_CA_FILE points at.
    static let caPEM = """
    -----BEGIN CERTIFICATE-----
    MIIBozCCAUmgAwIBAgIUIp1O/vI3osSDSZiVxR2KkuSXLcowCgYIKoZIzj0EAwIw
    HjEcMBoGA1UEAwwTRmFrZURpc2NvcmQgVGVzdCBDQTAgFw0yNjExMjcxMjQ2MTZa
    GA8yMTI2MTEwMzEyNDYxNlowHjEcMBoGA1UEAwwTRmFrZURpc2NvcmQgVGVzdCBD
    QTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABL3izjozjUUiYyxkLi5MTI5opGQn
    AIR+D5vbU4ipMxufG/kkR26Rj9QnYyKVKN8McsYPt/0KvfxfTLv1+WMwUSmjYzBh
    MB0GA1UdDgQWBBQCLdusnOLtOCUFvQVAaVGZ/bbx1DAfBgNVHSMEGDAWgBQCLdus
    nOLtOCUFvQVAaVGZ/bbx1DAPBgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIB
    BjAKBggqhkjOPQQDAgNIADBFAiEA7VGx1QiLY8vtVia3qO2K6lOm9EXKkQMMagd6
    vFSS3fMCIFpG20+ICHhgW03j1olzOY9JsUpCIEVlwnWJiMWOIz+G
    -----END CERTIFICATE-----
    """

    /// Server certificate for 127.0.0.1 and localhost, signed by the test CA.
    static let serverCertificatePEM = """
    -----BEGIN CERTIFICATE-----
    MIIByTCCAW+gAwIBAgIUM2RK1PB9q8E3q5kW9da6BCTaNZswCgYIKoZIzj0EAwIw
    HjEcMBoGA1UEAwwTRmFrZURpc2NvcmQgVGVzdCBDQTAgFw0yNjExMjcxMjQ2MTZa
    GA8yMTI2MTEwMzEyNDYxNlowFDESMBAGA1UEAwwJbG9jYWxob3N0MFkwEwYHKoZI
    zj0CAQYIKoZIzj0DAQcDQgAEpKFkj5/xKdp3dCf/Gf8TZJLYF3lnSc0nZO6UN8/G
    gD57K2UYn6/UekiG036treQtOx5CsnI0G2lQE1nmqpzhIaOBkjCBjzAMBgNVHRMB
    Af8EAjAAMA4GA1UdDwEB/wQEAwIHgDATBgNVHSUEDDAKBggrBgEFBQcDATAaBgNV
    HREEEzARhwR/AAABgglsb2NhbGhvc3QwHQYDVR0OBBYEFHboW+YTsrP7OOrMu2y1
    tcJuaMLWMB8GA1UdIwQYMBaAFAIt26yc4u04JQW9BUBpUZn9tvHUMAoGCCqGSM49
    BAMCA0gAMEUCIHTPQQS0/1ejqoltJXxAN8a5QjsxZpgYNRda3AvLrkZQAiEAg+J2
    QOtFSLcOw7/T8ne/5vQPAUmwpfenMqzMTLvdAWM=
    -----END CERTIFICATE-----
    """

    /// The server certificate's private key (test-only; it protects nothing).
    static let serverKeyPEM = """
    -----BEGIN PRIVATE KEY-----
    MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgQJ9Ra+qgF7t3pEox
    DysoSZhLhlI5BvKifyzdUmJygk6hRANCAASkoWSPn/Ep2nd0J/8Z/xNkktgXeWdJ
    zSdk7pQ3z8aAPnsrZRifr9R6SIbTfq2t5C07HkKycjQbaVATWeaqnOEh
    -----END PRIVATE KEY-----
    """
}
