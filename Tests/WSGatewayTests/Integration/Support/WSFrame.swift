/// WebSocket opcodes, spelled out for readable tests.
enum Opcode {
    static let continuation: UInt8 = 0x0
    static let text: UInt8 = 0x1
    static let binary: UInt8 = 0x2
    static let close: UInt8 = 0x8
    static let ping: UInt8 = 0x9
    static let pong: UInt8 = 0xA
}

/// One WebSocket frame as the tests build and see it, written and parsed here independently of the
/// gateway's own frame code.
struct WSFrame: Sendable, Equatable, CustomStringConvertible {
    var fin = true
    /// RSV1–3 as they sit in the first byte (0x40, 0x20, 0x10).
    var rsv: UInt8 = 0
    var opcode: UInt8
    /// Whether the frame arrived masked (the payload here is always unmasked).
    var masked = false
    var payload: [UInt8]

    init(fin: Bool = true, rsv: UInt8 = 0, opcode: UInt8, masked: Bool = false, payload: [UInt8]) {
        self.fin = fin
        self.rsv = rsv
        self.opcode = opcode
        self.masked = masked
        self.payload = payload
    }

    /// A close frame's payload: code then reason.
    static func closePayload(code: UInt16, reason: String = "") -> [UInt8] {
        [UInt8(code >> 8), UInt8(code & 0xFF)] + Array(reason.utf8)
    }

    var closeCode: UInt16? {
        opcode == Opcode.close && payload.count >= 2 ? UInt16(payload[0]) << 8 | UInt16(payload[1]) : nil
    }

    var closeReason: String { String(decoding: payload.dropFirst(2), as: UTF8.self) }

    var description: String {
        let summary = opcode == Opcode.close ? " code \(closeCode.map(String.init) ?? "none") \"\(closeReason)\"" : ""
        return "frame(op \(opcode), fin \(fin), rsv \(rsv), masked \(masked), \(payload.count) bytes\(summary))"
    }

    /// The frame's wire bytes, masked with `maskKey` when given.
    func encoded(maskKey: UInt32?) -> [UInt8] {
        var bytes: [UInt8] = [(fin ? 0x80 : 0) | rsv | opcode]
        let maskBit: UInt8 = maskKey == nil ? 0 : 0x80
        let length = payload.count
        if length <= 125 {
            bytes.append(maskBit | UInt8(length))
        } else if length <= 0xFFFF {
            bytes.append(maskBit | 126)
            bytes += [UInt8(length >> 8), UInt8(length & 0xFF)]
        } else {
            bytes.append(maskBit | 127)
            for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: length >> shift)) }
        }
        guard let maskKey else { return bytes + payload }
        let keyBytes = withUnsafeBytes(of: maskKey.bigEndian) { Array($0) }
        bytes += keyBytes
        let headerLength = bytes.count
        bytes += payload
        bytes.withUnsafeMutableBytes { raw in
            applyTestMask(UnsafeMutableRawBufferPointer(rebasing: raw[headerLength...]), key: keyBytes)
        }
        return bytes
    }
}

/// XORs `bytes` with the 4-byte `key` repeating from the first byte, eight bytes at a time (the tests
/// mask and unmask up to 16 MiB in debug builds).
func applyTestMask(_ bytes: UnsafeMutableRawBufferPointer, key: [UInt8]) {
    guard let base = bytes.baseAddress else { return }
    var wide: UInt64 = 0
    withUnsafeMutableBytes(of: &wide) { for i in 0..<8 { $0[i] = key[i % 4] } }
    let words = bytes.count / 8
    for i in 0..<words {
        let p = base + i * 8
        p.storeBytes(of: p.loadUnaligned(as: UInt64.self) ^ wide, as: UInt64.self)
    }
    for i in words * 8..<bytes.count { bytes[i] ^= key[i % 4] }
}

extension TestSocket {
    /// Reads one whole frame, unmasking its payload.
    func readFrame(timeout: Double? = nil) throws -> WSFrame {
        let deadline = Deadline.after(timeout ?? self.timeout)
        let head = try read(exactly: 2, timeout: deadline.remaining)
        let masked = head[1] & 0x80 != 0
        var length = UInt64(head[1] & 0x7F)
        if length == 126 {
            let ext = try read(exactly: 2, timeout: deadline.remaining)
            length = UInt64(ext[0]) << 8 | UInt64(ext[1])
        } else if length == 127 {
            length = try read(exactly: 8, timeout: deadline.remaining).reduce(0) { $0 << 8 | UInt64($1) }
        }
        guard length <= 1 << 30 else { throw TestSocketError(description: "frame length \(length) is absurd") }
        let key = masked ? try read(exactly: 4, timeout: deadline.remaining) : []
        var payload = try read(exactly: Int(length), timeout: max(0.001, deadline.remaining))
        if masked { payload.withUnsafeMutableBytes { applyTestMask($0, key: key) } }
        return WSFrame(fin: head[0] & 0x80 != 0, rsv: head[0] & 0x70, opcode: head[0] & 0x0F, masked: masked,
                       payload: payload)
    }
}
