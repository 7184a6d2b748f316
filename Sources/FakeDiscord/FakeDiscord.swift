/// A local Discord for tests: gateway, voice gateway and UDP voice server on 127.0.0.1.
public enum FakeDiscord {}
