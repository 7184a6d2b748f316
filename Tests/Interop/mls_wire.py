"""The slice of MLS (RFC 9420, cipher suite 2) that DAVE's voice gateway needs, in TLS wire form.

The voice gateway is an MLS external sender: it signs Add and Remove proposals itself
(ECDSA P-256 over SHA-256, DER signatures, SignWithLabel "FramedContentTBS"), computes
proposal and key package references, reads which proposals a commit references, and cuts a
Welcome down to the secrets of one new member. Nothing here is a group member.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

PROTOCOL_MLS10 = 1
CIPHER_SUITE = 2
WIRE_PUBLIC_MESSAGE = 1
SENDER_MEMBER = 1
SENDER_EXTERNAL = 2
CONTENT_PROPOSAL = 2
CONTENT_COMMIT = 3
PROPOSAL_ADD = 1
PROPOSAL_REMOVE = 3
CREDENTIAL_BASIC = 1
PROPOSAL_OR_REF_REFERENCE = 2


class WireError(ValueError):
    """Bytes that do not decode as the MLS structure expected."""


def varint(n: int) -> bytes:
    """RFC 9420 §2.1.2 variable-size vector length header."""
    if n < 1 << 6:
        return bytes([n])
    if n < 1 << 14:
        return (0x4000 | n).to_bytes(2, "big")
    if n < 1 << 30:
        return (0x80000000 | n).to_bytes(4, "big")
    raise WireError(f"vector of {n} bytes is too long")


def vec(data: bytes) -> bytes:
    """An opaque<V> vector."""
    return varint(len(data)) + data


class Reader:
    """Sequential reader over TLS-encoded bytes."""

    def __init__(self, data: bytes) -> None:
        self.data = bytes(data)
        self.pos = 0

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise WireError("truncated MLS structure")
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out

    def uint(self, size: int) -> int:
        return int.from_bytes(self.take(size), "big")

    def varint(self) -> int:
        first = self.data[self.pos] if self.pos < len(self.data) else None
        if first is None:
            raise WireError("truncated MLS vector header")
        prefix = first >> 6
        if prefix == 3:
            raise WireError("invalid MLS vector length prefix")
        size = 1 << prefix
        value = self.uint(size) & ((1 << (8 * size - 2)) - 1)
        return value

    def vec(self) -> bytes:
        return self.take(self.varint())

    def done(self) -> bool:
        return self.pos == len(self.data)


def ref_hash(label: bytes, value: bytes) -> bytes:
    """RFC 9420 §5.2 RefHash with SHA-256."""
    return hashlib.sha256(vec(label) + vec(value)).digest()


def key_package_ref(key_package: bytes) -> bytes:
    return ref_hash(b"MLS 1.0 KeyPackage Reference", key_package)


def proposal_ref(public_message: bytes) -> bytes:
    """ProposalRef of a proposal MLSMessage: RefHash over its AuthenticatedContent."""
    return ref_hash(b"MLS 1.0 Proposal Reference", public_message[2:])


@dataclass(frozen=True)
class KeyPackageInfo:
    """What the gateway validates in a member's KeyPackage."""

    cipher_suite: int
    user_id: int
    signature_key: bytes
    not_before: int
    not_after: int
    ref: bytes


def parse_key_package(data: bytes) -> KeyPackageInfo:
    """Reads the fields DAVE's gateway checks from a bare TLS KeyPackage."""
    r = Reader(data)
    if r.uint(2) != PROTOCOL_MLS10:
        raise WireError("key package is not MLS 1.0")
    suite = r.uint(2)
    r.vec()  # init_key
    r.vec()  # leaf encryption_key
    signature_key = r.vec()
    if r.uint(2) != CREDENTIAL_BASIC:
        raise WireError("key package credential is not basic")
    identity = r.vec()
    if len(identity) != 8:
        raise WireError("basic credential identity is not 8 bytes")
    # capabilities: versions, cipher_suites, extensions, proposals, credentials
    for _ in range(5):
        r.vec()
    if r.uint(1) != 1:  # leaf_node_source key_package carries a lifetime
        raise WireError("key package leaf node source is not key_package")
    not_before, not_after = r.uint(8), r.uint(8)
    return KeyPackageInfo(suite, int.from_bytes(identity, "big"), signature_key, not_before, not_after,
                          key_package_ref(data))


class ExternalSender:
    """The voice gateway's MLS external sender identity and proposal signer."""

    def __init__(self, identity: bytes = b"\x00" * 8) -> None:
        self._key = ec.generate_private_key(ec.SECP256R1())
        self.public_key = self._key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        self.identity = identity

    def package(self) -> bytes:
        """ExternalSender {signature_key<V>, Credential basic}: the payload of opcode 25."""
        return vec(self.public_key) + CREDENTIAL_BASIC.to_bytes(2, "big") + vec(self.identity)

    def _sign_with_label(self, label: bytes, content: bytes) -> bytes:
        return self._key.sign(vec(b"MLS 1.0 " + label) + vec(content), ec.ECDSA(hashes.SHA256()))

    def _proposal_message(self, group_id: bytes, epoch: int, proposal: bytes) -> bytes:
        content = (vec(group_id) + epoch.to_bytes(8, "big")
                   + bytes([SENDER_EXTERNAL]) + (0).to_bytes(4, "big")
                   + vec(b"") + bytes([CONTENT_PROPOSAL]) + proposal)
        header = PROTOCOL_MLS10.to_bytes(2, "big") + WIRE_PUBLIC_MESSAGE.to_bytes(2, "big")
        signature = self._sign_with_label(b"FramedContentTBS", header + content)
        return header + content + vec(signature)

    def add(self, group_id: bytes, epoch: int, key_package: bytes) -> bytes:
        """A signed external Add proposal as an MLSMessage (PublicMessage)."""
        return self._proposal_message(group_id, epoch, PROPOSAL_ADD.to_bytes(2, "big") + key_package)

    def remove(self, group_id: bytes, epoch: int, leaf_index: int) -> bytes:
        """A signed external Remove proposal as an MLSMessage (PublicMessage)."""
        return self._proposal_message(group_id, epoch,
                                      PROPOSAL_REMOVE.to_bytes(2, "big") + leaf_index.to_bytes(4, "big"))


def proposals_append(messages: list[bytes]) -> bytes:
    """Opcode 27 payload for append: operation 0 then MLSMessage proposal_messages<V>."""
    return b"\x00" + vec(b"".join(messages))


def proposals_revoke(refs: list[bytes]) -> bytes:
    """Opcode 27 payload for revoke: operation 1 then ProposalRef proposal_refs<V>."""
    return b"\x01" + vec(b"".join(vec(ref) for ref in refs))


@dataclass(frozen=True)
class CommitInfo:
    """The public parts of a commit PublicMessage that a delivery service inspects."""

    group_id: bytes
    epoch: int
    sender_leaf: int
    proposal_refs: list[bytes]
    has_path: bool
    length: int


def parse_commit(data: bytes) -> CommitInfo:
    """Reads a commit MLSMessage at the start of `data`; `length` is how many bytes it spans."""
    r = Reader(data)
    if r.uint(2) != PROTOCOL_MLS10 or r.uint(2) != WIRE_PUBLIC_MESSAGE:
        raise WireError("commit is not an MLS 1.0 PublicMessage")
    group_id = r.vec()
    epoch = r.uint(8)
    if r.uint(1) != SENDER_MEMBER:
        raise WireError("commit sender is not a member")
    sender_leaf = r.uint(4)
    r.vec()  # authenticated_data
    if r.uint(1) != CONTENT_COMMIT:
        raise WireError("message is not a commit")
    proposals = Reader(r.vec())
    refs: list[bytes] = []
    while not proposals.done():
        if proposals.uint(1) != PROPOSAL_OR_REF_REFERENCE:
            raise WireError("commit carries an inline proposal")
        refs.append(proposals.vec())
    has_path = bool(r.uint(1))  # optional<UpdatePath>
    if has_path:
        _skip_update_path(r)
    r.vec()  # signature
    r.vec()  # confirmation_tag
    r.vec()  # membership_tag
    return CommitInfo(group_id, epoch, sender_leaf, refs, has_path, r.pos)


def _skip_update_path(r: Reader) -> None:
    """Skips UpdatePath { LeafNode leaf_node; UpdatePathNode nodes<V>; }."""
    r.vec()  # encryption_key
    r.vec()  # signature_key
    if r.uint(2) != CREDENTIAL_BASIC:
        raise WireError("update path leaf credential is not basic")
    r.vec()  # identity
    for _ in range(5):  # capabilities
        r.vec()
    source = r.uint(1)
    if source == 1:
        r.take(16)  # lifetime
    elif source == 3:
        r.vec()  # parent_hash
    r.vec()  # extensions
    r.vec()  # signature
    r.vec()  # nodes


@dataclass(frozen=True)
class WelcomeSecrets:
    new_member: bytes
    encrypted: bytes


def split_welcome(welcome: bytes) -> tuple[list[WelcomeSecrets], bytes, int]:
    """Reads a bare Welcome: (per-member secrets, encrypted_group_info, cipher suite)."""
    r = Reader(welcome)
    suite = r.uint(2)
    secrets_reader = Reader(r.vec())
    secrets = []
    while not secrets_reader.done():
        start = secrets_reader.pos
        new_member = secrets_reader.vec()
        secrets_reader.vec()  # kem_output
        secrets_reader.vec()  # ciphertext
        secrets.append(WelcomeSecrets(new_member, secrets_reader.data[start:secrets_reader.pos]))
    group_info = r.vec()
    if not r.done():
        raise WireError("trailing bytes after Welcome")
    return secrets, group_info, suite


def welcome_for(welcome: bytes, key_package_ref_: bytes) -> bytes:
    """The Welcome restricted to the secrets encrypted for one key package."""
    secrets, group_info, suite = split_welcome(welcome)
    mine = [s.encrypted for s in secrets if s.new_member == key_package_ref_]
    if not mine:
        raise WireError("Welcome has no secrets for this key package")
    return suite.to_bytes(2, "big") + vec(b"".join(mine)) + vec(group_info)
