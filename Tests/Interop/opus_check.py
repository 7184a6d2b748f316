"""Decodes Opus packets with the system libopus through ctypes, to prove frames are real audio."""

from __future__ import annotations

import ctypes
import ctypes.util
import math

_path = ctypes.util.find_library("opus") or "libopus.so.0"
_lib = ctypes.CDLL(_path)
_lib.opus_decoder_create.restype = ctypes.c_void_p
_lib.opus_decoder_create.argtypes = [ctypes.c_int32, ctypes.c_int, ctypes.POINTER(ctypes.c_int)]
_lib.opus_decode.restype = ctypes.c_int
_lib.opus_decode.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int32,
                             ctypes.POINTER(ctypes.c_int16), ctypes.c_int, ctypes.c_int]
_lib.opus_decoder_destroy.argtypes = [ctypes.c_void_p]
_lib.opus_encoder_create.restype = ctypes.c_void_p
_lib.opus_encoder_create.argtypes = [ctypes.c_int32, ctypes.c_int, ctypes.c_int, ctypes.POINTER(ctypes.c_int)]
_lib.opus_encode.restype = ctypes.c_int32
_lib.opus_encode.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int16), ctypes.c_int,
                             ctypes.c_char_p, ctypes.c_int32]
_lib.opus_encoder_destroy.argtypes = [ctypes.c_void_p]
OPUS_APPLICATION_AUDIO = 2049

MAX_FRAME_SAMPLES = 5760  # 120 ms at 48 kHz, the longest Opus packet


class OpusDecoder:
    """One libopus decoder (48 kHz, stereo output) for one stream."""

    def __init__(self, channels: int = 2) -> None:
        error = ctypes.c_int(0)
        self._decoder = _lib.opus_decoder_create(48000, channels, ctypes.byref(error))
        if error.value != 0 or not self._decoder:
            raise RuntimeError(f"opus_decoder_create failed with {error.value}")
        self._pcm = (ctypes.c_int16 * (MAX_FRAME_SAMPLES * channels))()

    def decode(self, packet: bytes) -> int:
        """Samples per channel decoded from `packet`; negative is a libopus error code."""
        return _lib.opus_decode(self._decoder, packet, len(packet), self._pcm, MAX_FRAME_SAMPLES, 0)

    def __del__(self) -> None:
        if getattr(self, "_decoder", None):
            _lib.opus_decoder_destroy(self._decoder)
            self._decoder = None


class OpusEncoder:
    """A libopus encoder for simulated participants' own speech (48 kHz mono, 20 ms frames)."""

    def __init__(self) -> None:
        error = ctypes.c_int(0)
        self._encoder = _lib.opus_encoder_create(48000, 1, OPUS_APPLICATION_AUDIO, ctypes.byref(error))
        if error.value != 0:
            raise RuntimeError(f"opus_encoder_create failed with {error.value}")
        self._out = ctypes.create_string_buffer(4000)
        self._phase = 0

    def tone(self) -> bytes:
        """Encodes the next 20 ms of a 440 Hz tone."""
        pcm = (ctypes.c_int16 * 960)()
        for i in range(960):
            pcm[i] = int(8000 * math.sin(2 * math.pi * 440 * (self._phase + i) / 48000))
        self._phase += 960
        n = _lib.opus_encode(self._encoder, pcm, 960, self._out, len(self._out))
        if n < 0:
            raise RuntimeError(f"opus_encode failed with {n}")
        return self._out.raw[:n]

    def __del__(self) -> None:
        if getattr(self, "_encoder", None):
            _lib.opus_encoder_destroy(self._encoder)
            self._encoder = None
