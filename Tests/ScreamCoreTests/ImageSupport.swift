import CPNG
import Foundation
import Logging
@testable import ScreamCore

/// Renders screams into preview images and reads PNG files back for the image tests.
enum ImageHarness {
    /// A decoded PNG: its size and its pixels as RGB triples, row by row from the top.
    struct DecodedPNG {
        var width: Int
        var height: Int
        var rgb: [UInt8]

        /// The colour of the pixel at `x`, `y`.
        func pixel(_ x: Int, _ y: Int) -> [UInt8] {
            let start = (y * width + x) * 3
            return Array(rgb[start..<(start + 3)])
        }
    }

    /// The accumulated image of `params`, rendered block by block as a generate run would.
    static func accumulate(_ params: ScreamParams, size: ImageSize = .standard) -> ImageAccumulator {
        var image = ImageAccumulator(size: size, totalFrames: params.sampleCount, sampleRate: params.sampleRate)
        let samples = EncodingHarness.render(params)
        samples.withUnsafeBufferPointer { all in
            var start = 0
            while start < all.count {
                let end = min(all.count, start + 960 * params.channels)
                image.add(UnsafeBufferPointer(rebasing: all[start..<end]), channels: params.channels)
                start = end
            }
        }
        image.finish()
        return image
    }

    /// Runs `scream generate` in-process for `params` into a fresh temporary folder, with an
    /// image of `size`; returns the folder.
    static func generate(_ params: ScreamParams, size: ImageSize = .standard) throws -> URL {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("scream-image-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let job = GenerateJob(
            recipe: ScreamRecipe(params: params, origin: .preset(.classic)), format: .ogg,
            destination: .file(folder.appendingPathComponent("out.ogg").path), bitrate: 64000, backend: .native,
            image: try ImageRequest(path: folder.appendingPathComponent("out.png").path, size: size))
        var logger = Logger(label: "test")
        logger.logLevel = .error
        try GenerateService.run(job, trap: SignalTrap(), progress: ProgressBar(enabled: false), logger: logger)
        return folder
    }

    /// Decodes the PNG file at `path` through libpng.
    static func decode(_ path: String) throws -> DecodedPNG {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        guard bytes.withUnsafeBytes({ png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }) != 0 else {
            throw DecodeFailure()
        }
        image.format = png_uint_32(PNG_FORMAT_FLAG_COLOR)
        var rgb = [UInt8](repeating: 0, count: Int(image.width * image.height) * 3)
        let finished = rgb.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        guard finished != 0 else { throw DecodeFailure() }
        return DecodedPNG(width: Int(image.width), height: Int(image.height), rgb: rgb)
    }

    /// libpng refused the file.
    struct DecodeFailure: Error {}
}
