import Foundation
import Testing

/// `--image` on `generate` and `play --dry-run`, and `scream preview`, run against the built binary.
@Suite struct CLIImageTests {
    /// Width and height from the IHDR chunk of a PNG file, after checking the signature.
    private func pngSize(_ data: Data) -> (width: Int, height: Int)? {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard data.count > 24, Array(data.prefix(8)) == signature, data[12..<16] == Data("IHDR".utf8) else { return nil }
        let bigEndian = { (offset: Int) in (0..<4).reduce(0) { $0 << 8 | Int(data[offset + $1]) } }
        return (bigEndian(16), bigEndian(20))
    }

    @Test func generateWritesADefaultSizedPNGBesideTheAudio() throws {
        let folder = try scratchFolder()
        let result = try ScreamBinary.run(["generate", "out.ogg", "--preset", "classic", "--duration", "1s", "--image", "out.png"], in: folder)
        #expect(result.status == 0 && result.stderr.isEmpty && result.stdout.isEmpty)
        #expect(try entries(of: folder) == ["out.ogg", "out.png"])
        let size = pngSize(try Data(contentsOf: folder.appendingPathComponent("out.png")))
        #expect(size?.width == 1200 && size?.height == 600)
    }

    @Test func imageSizeSetsThePNGDimensions() throws {
        let folder = try scratchFolder()
        let result = try ScreamBinary.run(
            ["generate", "out.wav", "--preset", "robot", "--duration", "0.5s", "--image", "small.PNG", "--image-size", "640x360"],
            in: folder)
        #expect(result.status == 0)
        let size = pngSize(try Data(contentsOf: folder.appendingPathComponent("small.PNG")))
        #expect(size?.width == 640 && size?.height == 360)
    }

    @Test func theSameSeedGivesTheSameImageBytes() throws {
        let folder = try scratchFolder()
        for name in ["a", "b"] {
            let result = try ScreamBinary.run(["generate", "\(name).ogg", "--seed", "7", "--duration", "1s", "--image", "\(name).png"], in: folder)
            #expect(result.status == 0)
        }
        let (a, b) = (try Data(contentsOf: folder.appendingPathComponent("a.png")), try Data(contentsOf: folder.appendingPathComponent("b.png")))
        #expect(pngSize(a) != nil && a == b)
    }

    @Test func anImageAlongsideStandardOutputLeavesOnlyTheImage() throws {
        let folder = try scratchFolder()
        let result = try ScreamBinary.run(["generate", "-", "--format", "wav", "--duration", "0.2s", "--preset", "glitch", "--image", "p.png"], in: folder)
        #expect(result.status == 0 && result.stdout.prefix(4) == Data("RIFF".utf8))
        #expect(try entries(of: folder) == ["p.png"])
    }

    @Test func dryRunDrawsTheImageOfWhatWouldBeSent() throws {
        let folder = try scratchFolder()
        let result = try ScreamBinary.run(["play", "--dry-run", "--preset", "whisper", "--image", "dry.png", "--image-size", "800x400"], in: folder)
        #expect(result.status == 0)
        #expect(result.stdoutText.hasPrefix("dry run: preset whisper, 2s, "))
        #expect(try entries(of: folder) == ["dry.png"])
        let size = pngSize(try Data(contentsOf: folder.appendingPathComponent("dry.png")))
        #expect(size?.width == 800 && size?.height == 400)
    }

    @Test(arguments: ["out.ogg", "out.wav"])
    func previewDrawsAFileMadeByGenerate(audio: String) throws {
        let folder = try scratchFolder()
        let made = try ScreamBinary.run(["generate", audio, "--preset", "banshee", "--duration", "1.5s"], in: folder)
        #expect(made.status == 0)
        let result = try ScreamBinary.run(["preview", audio, "-o", "drawn.png", "--size", "1000x500"], in: folder)
        #expect(result.status == 0 && result.stderr.isEmpty && result.stdout.isEmpty)
        #expect(try entries(of: folder) == ["drawn.png", audio])
        let size = pngSize(try Data(contentsOf: folder.appendingPathComponent("drawn.png")))
        #expect(size?.width == 1000 && size?.height == 500)
    }
}
