/// Messaging Layer Security (RFC 9420) for cipher suite 2,
/// MLS_128_DHKEMP256_AES128GCM_SHA256_P256.
public enum MLS {}
