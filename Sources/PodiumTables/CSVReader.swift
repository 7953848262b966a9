/// One field of a record: a byte range of the buffer.
///
/// `escaped` means the field was quoted and holds `""` pairs, so its bytes are not yet its
/// value (see `CSVReader.value(of:)`).
public struct Field: Sendable {
    public var start: Int
    public var end: Int
    public var quoted: Bool
    public var escaped: Bool
    public var count: Int { end - start }
}

/// A streaming RFC 4180 reader over bytes: no `String` per cell, no allocation per row.
///
/// Rules (DESIGN §3): `,` separator; `"` quoting with `""` escapes, quoted fields may hold
/// commas and newlines; LF, CRLF or CR line ends; a leading UTF-8 BOM is skipped; the last
/// line may lack its newline; wholly empty lines are skipped.
public struct CSVReader {
    public let buffer: InputBytes
    let base: UnsafePointer<UInt8>
    let end: Int
    var position: Int
    /// The 1-based line where the next record starts.
    var line = 1
    /// The fields of the record last read.
    public private(set) var fields: [Field] = []
    public private(set) var fieldCount = 0
    /// The line the record last read started on.
    public private(set) var row = 0
    /// For a mapped file: where the pages already read and released end (see `next`).
    var released = 0

    public init(_ buffer: InputBytes) {
        self.buffer = buffer
        self.base = buffer.bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!
        self.end = buffer.count
        var start = 0
        if end >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF { start = 3 }
        self.position = start
        fields = Array(repeating: Field(start: 0, end: 0, quoted: false, escaped: false), count: 16)
    }

    /// Reads the next non-empty record into `fields`; false at the end of the buffer.
    public mutating func next() throws(IntakeError) -> Bool {
        while position < end {
            skipBlankLines()
            guard position < end else { return false }
            releaseBehind()
            row = line
            fieldCount = 0
            let recordStart = position
            var atRecordEnd = false
            while !atRecordEnd {
                releaseBehind()
                var field = Field(start: position, end: position, quoted: false, escaped: false)
                if position < end && base[position] == UInt8(ascii: "\"") {
                    field.quoted = true
                    position += 1
                    field.start = position
                    while true {
                        guard position < end else {
                            throw IntakeError(.malformedCSV, "a quoted field is never closed", row: row)
                        }
                        releaseBehind()
                        let c = base[position]
                        if c == UInt8(ascii: "\"") {
                            if position + 1 < end && base[position + 1] == UInt8(ascii: "\"") {
                                field.escaped = true
                                position += 2
                                continue
                            }
                            field.end = position
                            position += 1
                            break
                        }
                        if c == 10 {
                            line += 1
                        } else if c == 13 && !(position + 1 < end && base[position + 1] == 10) {
                            line += 1
                        }
                        position += 1
                    }
                    // After the closing quote: separator, line end, or end of file.
                    if position < end {
                        let c = base[position]
                        if c != UInt8(ascii: ",") && c != 10 && c != 13 {
                            throw IntakeError(.malformedCSV, "unexpected text after a closing quote", row: row)
                        }
                    }
                } else {
                    var p = position
                    scan: while p < end {
                        // In strides, releasing behind: one field may be gigabytes long.
                        let stop = min(end, p + CSVReader.releaseStride)
                        while p < stop {
                            let c = base[p]
                            if c == UInt8(ascii: ",") || c == 10 || c == 13 { break scan }
                            p += 1
                        }
                        position = p
                        releaseBehind()
                    }
                    field.end = p
                    position = p
                }
                append(field)
                if position >= end {
                    atRecordEnd = true
                } else {
                    let c = base[position]
                    position += 1
                    if c == UInt8(ascii: ",") { continue }
                    if c == 13 && position < end && base[position] == 10 { position += 1 }
                    line += 1
                    atRecordEnd = true
                }
            }
            // A wholly empty line: one empty, unquoted field.
            if fieldCount == 1 && !fields[0].quoted && fields[0].start == recordStart && fields[0].end == recordStart {
                continue
            }
            return true
        }
        return false
    }

    /// Skips wholly empty lines (LF, CRLF or CR) a word at a time where it can: a file of
    /// nothing but newlines (a decompressed bomb) is crossed quickly and in bounded memory.
    private mutating func skipBlankLines() {
        while position < end {
            let stop = min(end, position + CSVReader.releaseStride)
            while position + 8 <= stop
                && UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self) == 0x0A0A_0A0A_0A0A_0A0A
            {
                position += 8
                line += 8
            }
            while position < stop {
                let c = base[position]
                if c == 10 {
                    position += 1
                } else if c == 13 {
                    position += position + 1 < end && base[position + 1] == 10 ? 2 : 1
                } else {
                    return
                }
                line += 1
            }
            releaseBehind()
        }
    }

    /// A mapped file is read once, front to back: its pages behind the reader are dropped as
    /// it goes (they stay in the page cache and come back if read again), so that reading a
    /// huge file keeps memory bounded.
    @inline(__always)
    private mutating func releaseBehind() {
        if position &- released > CSVReader.releaseStride && buffer.isMapped {
            FastScan.release(buffer.bytes, released..<position)
            released = position
        }
    }

    /// Fields of one record kept at most; more are counted, not kept (a line of a billion
    /// commas must not cost a billion `Field`s). No reader looks past a header's width.
    public static let maxFields = 1 << 16

    @inline(__always)
    private mutating func append(_ field: Field) {
        if fieldCount < fields.count {
            fields[fieldCount] = field
        } else if fieldCount < CSVReader.maxFields {
            fields.append(field)
        }
        fieldCount += 1
    }

    /// The bytes of a field, unquoted; `""` pairs are collapsed only for escaped fields.
    public func bytes(of field: Field) -> [UInt8] {
        let raw = UnsafeBufferPointer(start: base + field.start, count: field.count)
        guard field.escaped else { return Array(raw) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = 0
        while i < raw.count {
            out.append(raw[i])
            i += (raw[i] == UInt8(ascii: "\"") && i + 1 < raw.count && raw[i + 1] == UInt8(ascii: "\"")) ? 2 : 1
        }
        return out
    }

    /// The value of a field as text (invalid UTF-8 is repaired), for headers and keys.
    public func string(of field: Field) -> String {
        String(decoding: bytes(of: field), as: UTF8.self)
    }

    /// The value of a field as a message quotes it (`IntakeError.quote`): reads only the start
    /// of a long field.
    public func quoted(_ field: Field) -> String {
        let limit = 4 * (IntakeError.quoteLimit + 1)
        guard field.count > limit else { return IntakeError.quote(string(of: field)) }
        var head = field
        head.end = min(field.end, field.start + 2 * limit)  // `""` pairs collapse to one byte
        let text = IntakeError.quote(string(of: head))
        return text.hasSuffix("…") ? text : text + "…"
    }

    static let releaseStride = 16 << 20

    /// The raw bytes of a field that needs no unescaping.
    @inline(__always)
    public func raw(_ field: Field) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + field.start, count: field.count)
    }
}
