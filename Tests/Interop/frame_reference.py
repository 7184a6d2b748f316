"""An independent Python rendering of DAVE's sender key ratchet and Opus frame format.

Written from the DAVE whitepaper and RFC 9420 with `cryptography`'s HKDF and AES-GCM; the
Swift unit tests use the vectors it prints (`python frame_reference.py`) as known answers.
"""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDFExpand

MARKER = b"\xfa\xfa"
SILENCE = b"\xf8\xff\xfe"


def mls_varint(n: int) -> bytes:
    """RFC 9420 §2.1.2 variable-size length header."""
    if n < 1 << 6:
        return bytes([n])
    if n < 1 << 14:
        return (0x4000 | n).to_bytes(2, "big")
    return (0x80000000 | n).to_bytes(4, "big")


def expand_with_label(secret: bytes, label: str, context: bytes, length: int) -> bytes:
    """RFC 9420 ExpandWithLabel over HKDF-SHA256."""
    full = b"MLS 1.0 " + label.encode()
    info = length.to_bytes(2, "big") + mls_varint(len(full)) + full + mls_varint(len(context)) + context
    return HKDFExpand(hashes.SHA256(), length, info).derive(secret)


def ratchet_key(base_secret: bytes, generation: int) -> bytes:
    """The AES-128 key for `generation` of the MLS hash ratchet started at `base_secret`."""
    secret = base_secret
    for g in range(generation):
        secret = expand_with_label(secret, "secret", g.to_bytes(4, "big"), 32)
    return expand_with_label(secret, "key", generation.to_bytes(4, "big"), 16)


def uleb128(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    out.append(value)
    return bytes(out)


def encrypt_frame(base_secret: bytes, frame_number: int, opus: bytes) -> bytes:
    """The protocol frame for the `frame_number`-th frame (1-based) a sender encrypts."""
    nonce = frame_number & 0xFFFFFFFF
    key = ratchet_key(base_secret, frame_number >> 24)
    sealed = AESGCM(key).encrypt(bytes(8) + nonce.to_bytes(4, "little"), opus, None)
    ciphertext, tag = sealed[:-16], sealed[-16:]
    nonce_bytes = uleb128(nonce)
    return ciphertext + tag[:8] + nonce_bytes + bytes([8 + len(nonce_bytes) + 1 + 2]) + MARKER


if __name__ == "__main__":
    base = bytes(range(16))
    opus = bytes([0xFC, 0xFF, 0xFE]) + bytes(range(1, 21))
    for n in (1, 200, 1 << 24, 1 << 32):
        print(f"frame {n}: {encrypt_frame(base, n, opus).hex()}")
    print(f"key g=1: {ratchet_key(base, 1).hex()}")
