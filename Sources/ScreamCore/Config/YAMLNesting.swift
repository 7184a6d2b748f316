/// How deeply a YAML text nests, measured before parsing so that a pathological file gets
/// one sentence instead of a parser failure.
///
/// A level is a block indentation step (a `- ` or `? ` on the same line opens one more) or an
/// open `[` or `{`. Quoted scalars and comments are skipped; the count is a bound for the
/// parser, not a parse, so odd text inside plain scalars can only make it larger.
enum YAMLNesting {
    /// The deepest nesting a parameter or config file may have.
    static let maximumDepth = 64

    /// Whether `text` nests deeper than `limit` levels anywhere.
    static func depth(of text: String, exceeds limit: Int) -> Bool {
        var scanner = Scanner(bytes: Array(text.utf8))
        return scanner.exceeds(limit)
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        /// The columns of the open block levels, innermost last.
        var blockColumns: [Int] = []
        var flowDepth = 0

        init(bytes: [UInt8]) {
            self.bytes = bytes
        }

        mutating func exceeds(_ limit: Int) -> Bool {
            while index < bytes.count {
                readIndentation()
                if blockColumns.count + flowDepth > limit { return true }
                if readRestOfLine(limit: limit) { return true }
            }
            return false
        }

        /// Measures the line's indentation and updates the block levels; blank and comment
        /// lines, and lines inside a flow collection, leave them as they are.
        private mutating func readIndentation() {
            var column = 0
            while index < bytes.count, bytes[index] == UInt8(ascii: " ") {
                column += 1
                index += 1
            }
            guard index < bytes.count, flowDepth == 0, !isLineEnd(bytes[index]), bytes[index] != UInt8(ascii: "#") else {
                return
            }
            while let last = blockColumns.last, last >= column {
                blockColumns.removeLast()
            }
            blockColumns.append(column)
            while isCompactIndicator(at: index) {
                index += 1
                column += 1
                while index < bytes.count, bytes[index] == UInt8(ascii: " ") {
                    index += 1
                    column += 1
                }
                guard index < bytes.count, !isLineEnd(bytes[index]) else { return }
                blockColumns.append(column)
            }
        }

        /// Reads to the start of the next line outside quotes, counting brackets; true as soon
        /// as the depth passes `limit`.
        private mutating func readRestOfLine(limit: Int) -> Bool {
            var previous = UInt8(ascii: " ")
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                switch byte {
                case UInt8(ascii: "\n"):
                    return false
                case UInt8(ascii: "#") where previous == UInt8(ascii: " ") || previous == UInt8(ascii: "\t"):
                    while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                case UInt8(ascii: "'") where startsScalar(after: previous), UInt8(ascii: "\"") where startsScalar(after: previous):
                    skipQuoted(byte)
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    flowDepth += 1
                    if blockColumns.count + flowDepth > limit { return true }
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    flowDepth = max(0, flowDepth - 1)
                default:
                    break
                }
                previous = byte
            }
            return false
        }

        /// Skips a quoted scalar, which may span lines, up to and including its closing quote.
        private mutating func skipQuoted(_ quote: UInt8) {
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if quote == UInt8(ascii: "\""), byte == UInt8(ascii: "\\") {
                    index += 1
                } else if byte == quote {
                    guard quote == UInt8(ascii: "'"), index < bytes.count, bytes[index] == quote else { return }
                    index += 1
                }
            }
        }

        /// Whether a quote after `previous` opens a quoted scalar rather than sitting inside a plain one.
        private func startsScalar(after previous: UInt8) -> Bool {
            [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "{")].contains(previous)
        }

        /// A `- ` or `? ` (or one ending the line), which opens a nested block node on the same line.
        private func isCompactIndicator(at position: Int) -> Bool {
            guard position < bytes.count, bytes[position] == UInt8(ascii: "-") || bytes[position] == UInt8(ascii: "?") else {
                return false
            }
            return position + 1 == bytes.count || bytes[position + 1] == UInt8(ascii: " ") || isLineEnd(bytes[position + 1])
        }

        private func isLineEnd(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
        }
    }
}
