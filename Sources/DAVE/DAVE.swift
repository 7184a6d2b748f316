import MLS

/// Discord's audio and video end-to-end encryption (DAVE), protocol version 1.
public enum DAVE {}
