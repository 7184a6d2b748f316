"""RTP packets and Discord's rtpsize transport AEAD (AES-256-GCM and XChaCha20-Poly1305)."""

from __future__ import annotations

import ctypes
import ctypes.util
import struct
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

AES_MODE = "aead_aes256_gcm_rtpsize"
XCHACHA_MODE = "aead_xchacha20_poly1305_rtpsize"
RTP_HEADER = 12

_sodium = ctypes.CDLL(ctypes.util.find_library("sodium") or "libsodium.so.23")
_sodium.sodium_init()
_c_bytes = ctypes.c_char_p
_sodium.crypto_aead_xchacha20poly1305_ietf_decrypt.argtypes = [
    _c_bytes, ctypes.POINTER(ctypes.c_ulonglong), ctypes.c_void_p, _c_bytes, ctypes.c_ulonglong,
    _c_bytes, ctypes.c_ulonglong, _c_bytes, _c_bytes]
_sodium.crypto_aead_xchacha20poly1305_ietf_encrypt.argtypes = [
    _c_bytes, ctypes.POINTER(ctypes.c_ulonglong), _c_bytes, ctypes.c_ulonglong,
    _c_bytes, ctypes.c_ulonglong, ctypes.c_void_p, _c_bytes, _c_bytes]


class TransportError(ValueError):
    """A UDP packet that is not a well-formed, authentic rtpsize packet."""


@dataclass(frozen=True)
class RTPPacket:
    sequence: int
    timestamp: int
    ssrc: int
    payload: bytes


def _xchacha_open(key: bytes, nonce: bytes, ciphertext: bytes, aad: bytes) -> bytes:
    out = ctypes.create_string_buffer(len(ciphertext))
    out_len = ctypes.c_ulonglong(0)
    rc = _sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
        out, ctypes.byref(out_len), None, ciphertext, len(ciphertext), aad, len(aad), nonce, key)
    if rc != 0:
        raise TransportError("XChaCha20-Poly1305 authentication failed")
    return out.raw[:out_len.value]


def _xchacha_seal(key: bytes, nonce: bytes, plaintext: bytes, aad: bytes) -> bytes:
    out = ctypes.create_string_buffer(len(plaintext) + 16)
    out_len = ctypes.c_ulonglong(0)
    _sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
        out, ctypes.byref(out_len), plaintext, len(plaintext), aad, len(aad), None, nonce, key)
    return out.raw[:out_len.value]


def open_packet(mode: str, key: bytes, packet: bytes) -> RTPPacket:
    """Checks and decrypts one rtpsize packet: header as AAD, ciphertext+tag, 4-byte BE counter."""
    if len(packet) < RTP_HEADER + 16 + 4 or packet[0] & 0xC0 != 0x80:
        raise TransportError("not an RTP packet")
    header_length = RTP_HEADER + 4 * (packet[0] & 0x0F)
    if packet[0] & 0x10:
        header_length += 4  # rtpsize: the extension header is authenticated, its body encrypted
    header, body, counter = packet[:header_length], packet[header_length:-4], packet[-4:]
    if mode == AES_MODE:
        try:
            payload = AESGCM(key).decrypt(counter + bytes(8), body, header)
        except Exception as error:
            raise TransportError("AES-256-GCM authentication failed") from error
    elif mode == XCHACHA_MODE:
        payload = _xchacha_open(key, counter + bytes(20), body, header)
    else:
        raise TransportError(f"unknown transport mode {mode}")
    _, _, sequence, timestamp, ssrc = struct.unpack(">BBHII", header[:12])
    return RTPPacket(sequence, timestamp, ssrc, payload)


def seal_packet(mode: str, key: bytes, sequence: int, timestamp: int, ssrc: int, counter: int,
                payload: bytes) -> bytes:
    """One rtpsize packet as a Discord client sends it."""
    header = struct.pack(">BBHII", 0x80, 0x78, sequence & 0xFFFF, timestamp & 0xFFFFFFFF, ssrc)
    nonce_prefix = (counter & 0xFFFFFFFF).to_bytes(4, "big")
    if mode == AES_MODE:
        sealed = AESGCM(key).encrypt(nonce_prefix + bytes(8), payload, header)
    else:
        sealed = _xchacha_seal(key, nonce_prefix + bytes(20), payload, header)
    return header + sealed + nonce_prefix
