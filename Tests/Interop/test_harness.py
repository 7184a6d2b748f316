"""The harness proven against libdave itself, before any `scream` binary is involved.

libdave participants establish groups through the fake's DAVE delivery service (whose
external sender signs every Add and Remove itself), exchange frames through the fake SFU,
and decode what they decrypt with libopus. A Python voice client walks the real TLS
WebSocket and UDP path, as the bot will.
"""

from __future__ import annotations

import asyncio

import dave
import pytest

from certs import TestPKI
from frame_reference import encrypt_frame
from libdave_judge import LibdaveJudge, sample_packets
from mls_wire import ExternalSender, proposals_append
from rtp_transport import AES_MODE, XCHACHA_MODE
from scenario import SILENCE, is_protocol_frame, run, running_fake, settled, speak, tally
from voice_client import NetworkVoiceClient

A, B, C, D = 1001, 1002, 1003, 1004


def test_libdave_accepts_harness_welcome_and_agrees_with_reference_frames() -> None:
    judge = LibdaveJudge()
    packets = sample_packets(12)
    for number, packet in enumerate(packets, start=1):
        reference = encrypt_frame(judge.base_secret, number, packet)
        assert judge.encrypt(packet) == reference
        assert judge.decrypt(reference) == packet
    assert judge.decrypt(bytes([0xF8, 0xFF, 0xFE])) == SILENCE
    tampered = bytearray(encrypt_frame(judge.base_secret, 50, packets[0]))
    tampered[0] ^= 1
    assert judge.decrypt(bytes(tampered)) is None
    assert judge.failures == []


def test_libdave_refuses_proposals_not_signed_by_the_announced_external_sender() -> None:
    announced, impostor = ExternalSender(), ExternalSender()
    failures: list = []
    session = dave.Session(lambda *failure: failures.append(failure))
    session.init(1, 77, "5", None)
    session.set_external_sender(announced.package())
    joiner = dave.Session()
    joiner.init(1, 77, "6", None)
    key_package = joiner.get_marshalled_key_package()
    group_id = (77).to_bytes(8, "big")
    forged = proposals_append([impostor.add(group_id, 0, key_package)])
    assert session.process_proposals(forged, {"5", "6"}) is None
    assert failures
    genuine = proposals_append([announced.add(group_id, 0, key_package)])
    assert session.process_proposals(genuine, {"5", "6"}) is not None


def test_add_for_unannounced_user_is_refused_by_libdave() -> None:
    gateway = ExternalSender()
    session = dave.Session(lambda *failure: None)
    session.init(1, 77, "5", None)
    session.set_external_sender(gateway.package())
    stranger = dave.Session()
    stranger.init(1, 77, "9", None)
    proposal = proposals_append([gateway.add((77).to_bytes(8, "big"), 0, stranger.get_marshalled_key_package())])
    assert session.process_proposals(proposal, {"5"}) is None


def test_two_participants_establish_a_group_and_hear_each_other(pki: TestPKI) -> None:
    async def scenario() -> None:
        async with running_fake(pki) as fake:
            a, b = fake.add_participant(A), fake.add_participant(B)
            await settled(fake, {A, B})
            assert fake.dave.epoch == 1 and sorted(fake.dave.members()) == [A, B]
            assert a.session.get_last_epoch_authenticator() == b.session.get_last_epoch_authenticator()
            frames = speak(fake, a, 50) + speak(fake, b, 50)
            assert all(is_protocol_frame(f) for f in frames)
            assert str(tally(b, A)) == "sent 50 / decrypted 50 / decoded 50"
            assert str(tally(a, B)) == "sent 50 / decrypted 50 / decoded 50"

    run(scenario)


def test_late_joiner_is_added_by_commit_and_hears_everything_after_execute(pki: TestPKI) -> None:
    async def scenario() -> None:
        async with running_fake(pki) as fake:
            a, b = fake.add_participant(A), fake.add_participant(B)
            first = await settled(fake, {A, B})
            c = fake.add_participant(C)
            while C not in fake.dave.members() or fake.dave.transition is not None or not c.in_group \
                    or fake.dave.executed[-1][1] == first or fake.dave.executed[-1][1] not in a.executed:
                speak(fake, a, 1)
                await asyncio.sleep(0.02)
            second = await settled(fake, {A, B, C})
            assert second != first and fake.dave.epoch == 2
            before = len(c.media[A].frames) if A in c.media else 0
            speak(fake, a, 40)
            assert str(tally(c, A, since=before)) == "sent 40 / decrypted 40 / decoded 40"
            assert tally(b, A).decrypted == tally(b, A).sent

    run(scenario)


def test_leaver_is_removed_and_cannot_decrypt_the_next_epoch(pki: TestPKI) -> None:
    async def scenario() -> None:
        async with running_fake(pki) as fake:
            a, b, c = fake.add_participant(A), fake.add_participant(B), fake.add_participant(C)
            await fake.dave.wait_for(lambda: sorted(fake.dave.members()) == [A, B, C], 15, "all three in the group")
            await settled(fake, {A, B, C})
            speak(fake, a, 10)
            fake.remove_participant(C)
            while fake.dave.transition is not None or C in fake.dave.members() or not fake.dave.executed \
                    or fake.dave.executed[-1][1] not in a.executed:
                speak(fake, a, 1)
                await asyncio.sleep(0.02)
            await settled(fake, {A, B})
            after = speak(fake, a, 30)
            assert tally(b, A).decrypted == tally(b, A).sent == tally(b, A).decoded
            assert all(c.receive(A, frame).plaintext is None for frame in after)

    run(scenario)


def test_sole_member_reset_then_a_new_group_with_a_newcomer(pki: TestPKI) -> None:
    async def scenario() -> None:
        async with running_fake(pki) as fake:
            a = fake.add_participant(A)
            fake.add_participant(B)
            await settled(fake, {A, B})
            fake.remove_participant(B)
            await fake.dave.wait_for(lambda: A in fake.dave.key_packages and not fake.dave.established, 10,
                                     "the sole member's fresh key package")
            assert 0 in a.executed and not a.session.has_established_group()
            d = fake.add_participant(D)
            await settled(fake, {A, D})
            assert fake.dave.epoch == 1
            speak(fake, d, 20)
            assert str(tally(a, D)) == "sent 20 / decrypted 20 / decoded 20"

    run(scenario)


def test_downgrade_passes_opus_through_and_upgrade_reencrypts(pki: TestPKI) -> None:
    async def scenario() -> None:
        async with running_fake(pki) as fake:
            a, b = fake.add_participant(A), fake.add_participant(B)
            await settled(fake, {A, B})
            speak(fake, a, 10)
            fake.dave.downgrade()
            await fake.dave.wait_for(lambda: fake.dave.executed[-1][2] == 0 and all(
                fake.dave.executed[-1][1] in p.executed for p in fake.participants()), 10, "the downgrade")
            plain = speak(fake, a, 10)
            assert not any(is_protocol_frame(f) for f in plain)
            executed = len(fake.dave.executed)
            fake.dave.upgrade()
            await settled(fake, {A, B}, after=executed)
            encrypted = speak(fake, a, 10)
            assert all(is_protocol_frame(f) for f in encrypted)
            assert str(tally(b, A)) == "sent 30 / decrypted 30 / decoded 30"

    run(scenario)


@pytest.mark.parametrize("mode", [AES_MODE, XCHACHA_MODE])
def test_voice_client_over_tls_and_udp_is_heard_by_a_libdave_participant(pki: TestPKI, mode: str) -> None:
    async def scenario() -> None:
        async with running_fake(pki) as fake:
            bot = NetworkVoiceClient(pki.client_context(), fake.voice_endpoint, fake.guild_id, fake.channel_id, fake.bot_user_id,
                                     mode)
            try:
                a = fake.add_participant(A)
                await bot.connect()
                await settled(fake, {A, fake.bot_user_id})
                await fake.dave.wait_for(lambda: bot.participant.in_group and fake.dave.executed[-1][1]
                                         in bot.participant.executed, 10, "the bot's execute")
                for _ in range(50):
                    bot.send_frame(bot.participant.speak())
                    await asyncio.sleep(0.005)
                await fake.dave.wait_for(lambda: len(fake.records.media) == 50, 10, "50 packets at the UDP server")
                assert fake.records.rejected_packets == []
                assert [m.sequence for m in fake.records.media] == list(range(1, 51))
                assert str(tally(a, fake.bot_user_id)) == "sent 50 / decrypted 50 / decoded 50"
                assert fake.records.select_protocol["data"]["mode"] == mode
            finally:
                await bot.close()

    run(scenario)
