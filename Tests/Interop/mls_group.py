"""A one-shot MLS group creator that welcomes a libdave member, so its secrets are known here.

The harness acts as the first member of a DAVE group (RFC 9420, cipher suite 2): it builds its
own leaf, a two-leaf ratchet tree with the joiner's KeyPackage leaf, the epoch's key schedule,
a signed GroupInfo and a Welcome. Because it chose every secret, it can compute
MLS-Exporter("Discord Secure Frames v0", ...) for any sender, which is what lets libdave be
the judge of frames that were encrypted outside libdave.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hpke import AEAD, KDF, KEM, Suite

from frame_reference import expand_with_label
from mls_wire import (CIPHER_SUITE, CREDENTIAL_BASIC, PROTOCOL_MLS10, Reader, key_package_ref, vec)

NODE_LEAF = 1
NODE_PARENT = 2
EXTENSION_RATCHET_TREE = 2
EXTENSION_EXTERNAL_SENDERS = 5
LEAF_SOURCE_KEY_PACKAGE = 1
MEDIA_KEY_LABEL = b"Discord Secure Frames v0"


def derive_secret(secret: bytes, label: str) -> bytes:
    return expand_with_label(secret, label, b"", 32)


def extract(salt: bytes, ikm: bytes) -> bytes:
    return hmac.new(salt, ikm, hashlib.sha256).digest()


def mls_exporter(exporter_secret: bytes, label: bytes, context: bytes, length: int) -> bytes:
    """RFC 9420 §8.5 MLS-Exporter."""
    derived = expand_with_label(exporter_secret, label.decode(), b"", 32)
    return expand_with_label(derived, "exported", hashlib.sha256(context).digest(), length)


def _u16s(values: list[int]) -> bytes:
    return vec(b"".join(v.to_bytes(2, "big") for v in values))


def _extension(kind: int, data: bytes) -> bytes:
    return kind.to_bytes(2, "big") + vec(data)


class GroupCreator:
    """The first member of a two-member DAVE group whose other member joins by Welcome."""

    def __init__(self, user_id: int, group_id: int, external_sender_package: bytes) -> None:
        self.user_id = user_id
        self.group_id = group_id.to_bytes(8, "big")
        self.external_sender_package = external_sender_package
        self._signer = ec.generate_private_key(ec.SECP256R1())
        encryption = ec.generate_private_key(ec.SECP256R1())
        point = serialization.PublicFormat.UncompressedPoint
        self.signature_key = self._signer.public_key().public_bytes(serialization.Encoding.X962, point)
        encryption_key = encryption.public_key().public_bytes(serialization.Encoding.X962, point)
        tbs = (vec(encryption_key) + vec(self.signature_key)
               + CREDENTIAL_BASIC.to_bytes(2, "big") + vec(user_id.to_bytes(8, "big"))
               + _u16s([PROTOCOL_MLS10]) + _u16s([CIPHER_SUITE]) + _u16s([]) + _u16s([])
               + _u16s([CREDENTIAL_BASIC])
               + bytes([LEAF_SOURCE_KEY_PACKAGE]) + (0).to_bytes(8, "big") + (2**64 - 1).to_bytes(8, "big")
               + vec(b""))
        self.leaf_node = tbs + vec(self._sign(b"LeafNodeTBS", tbs))
        self.exporter_secret: bytes | None = None
        self.epoch_authenticator: bytes | None = None

    def _sign(self, label: bytes, content: bytes) -> bytes:
        return self._signer.sign(vec(b"MLS 1.0 " + label) + vec(content), ec.ECDSA(hashes.SHA256()))

    def welcome(self, key_package: bytes, epoch: int = 1) -> bytes:
        """Builds epoch `epoch` with the joiner at leaf 1 and returns its Welcome."""
        joiner_leaf = _leaf_node_of(key_package)
        init_key = _init_key_of(key_package)

        def leaf_hash(index: int, leaf: bytes) -> bytes:
            return hashlib.sha256(bytes([NODE_LEAF]) + index.to_bytes(4, "big") + b"\x01" + leaf).digest()

        tree_hash = hashlib.sha256(bytes([NODE_PARENT]) + b"\x00"
                                   + vec(leaf_hash(0, self.leaf_node)) + vec(leaf_hash(1, joiner_leaf))).digest()
        confirmed_transcript_hash = os.urandom(32)
        group_extensions = vec(_extension(EXTENSION_EXTERNAL_SENDERS, vec(self.external_sender_package)))
        group_context = (PROTOCOL_MLS10.to_bytes(2, "big") + CIPHER_SUITE.to_bytes(2, "big")
                         + vec(self.group_id) + epoch.to_bytes(8, "big") + vec(tree_hash)
                         + vec(confirmed_transcript_hash) + group_extensions)

        joiner_secret = os.urandom(32)
        member_secret = extract(joiner_secret, bytes(32))
        welcome_secret = derive_secret(member_secret, "welcome")
        epoch_secret = expand_with_label(member_secret, "epoch", group_context, 32)
        self.exporter_secret = derive_secret(epoch_secret, "exporter")
        self.epoch_authenticator = derive_secret(epoch_secret, "authentication")
        confirmation_key = derive_secret(epoch_secret, "confirm")
        confirmation_tag = hmac.new(confirmation_key, confirmed_transcript_hash, hashlib.sha256).digest()

        tree = vec(b"\x01" + bytes([NODE_LEAF]) + self.leaf_node + b"\x00"
                   + b"\x01" + bytes([NODE_LEAF]) + joiner_leaf)
        info_extensions = vec(_extension(EXTENSION_RATCHET_TREE, tree))
        group_info_tbs = group_context + info_extensions + vec(confirmation_tag) + (0).to_bytes(4, "big")
        group_info = group_info_tbs + vec(self._sign(b"GroupInfoTBS", group_info_tbs))

        welcome_key = expand_with_label(welcome_secret, "key", b"", 16)
        welcome_nonce = expand_with_label(welcome_secret, "nonce", b"", 12)
        encrypted_group_info = AESGCM(welcome_key).encrypt(welcome_nonce, group_info, b"")

        group_secrets = vec(joiner_secret) + b"\x00" + vec(b"")
        encrypt_context = vec(b"MLS 1.0 Welcome") + vec(encrypted_group_info)
        sealed = Suite(KEM.P256, KDF.HKDF_SHA256, AEAD.AES_128_GCM).encrypt(group_secrets, init_key, encrypt_context)
        kem_output, ciphertext = sealed[:65], sealed[65:]
        secrets = vec(key_package_ref(key_package)) + vec(kem_output) + vec(ciphertext)
        return CIPHER_SUITE.to_bytes(2, "big") + vec(secrets) + vec(encrypted_group_info)

    def media_base_secret(self, sender_user_id: int) -> bytes:
        """MLS-Exporter("Discord Secure Frames v0", sender id as u64 little-endian, 16)."""
        if self.exporter_secret is None:
            raise RuntimeError("the group has no epoch yet")
        return mls_exporter(self.exporter_secret, MEDIA_KEY_LABEL, sender_user_id.to_bytes(8, "little"), 16)


def _init_key_of(key_package: bytes) -> ec.EllipticCurvePublicKey:
    r = Reader(key_package)
    r.take(4)  # version, cipher suite
    return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), r.vec())


def _leaf_node_of(key_package: bytes) -> bytes:
    """The LeafNode bytes inside a KeyPackage (between init_key and the extensions)."""
    r = Reader(key_package)
    r.take(4)
    r.vec()  # init_key
    start = r.pos
    r.vec(); r.vec()  # encryption_key, signature_key
    r.take(2); r.vec()  # credential
    for _ in range(5):
        r.vec()
    if r.uint(1) != LEAF_SOURCE_KEY_PACKAGE:
        raise ValueError("key package leaf node source is not key_package")
    r.take(16)
    r.vec()  # extensions
    r.vec()  # signature
    return r.data[start:r.pos]
