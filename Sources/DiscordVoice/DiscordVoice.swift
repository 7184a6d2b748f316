/// Discord gateway v10, voice gateway v8 and the UDP/RTP voice transport.
public enum DiscordVoice {}
