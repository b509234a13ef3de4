/// Writes frame headers and whole control frames into caller-provided memory.
public enum FrameWriter {
    /// The largest control frame: 2 header bytes, a 4-byte mask key and 125 payload bytes.
    @inlinable public static var maxControlFrameSize: Int { 131 }

    /// The number of header bytes a frame with this payload length needs.
    @inlinable
    public static func headerLength(payloadLength: Int, masked: Bool) -> Int {
        let base = payloadLength < 126 ? 2 : (payloadLength <= 0xFFFF ? 4 : 10)
        return masked ? base &+ 4 : base
    }

    /// Writes a frame header at `into` and returns its length; the payload goes right after it.
    ///
    /// `rsv` is given as in byte 0 (0x40 for RSV1). The payload is not touched: mask it with `maskKey`
    /// yourself (`applyMask`).
    @inlinable
    @discardableResult
    public static func writeHeader(
        into pointer: UnsafeMutableRawPointer, fin: Bool, rsv: UInt8 = 0, opcode: UInt8, payloadLength: Int,
        maskKey: UInt32?
    ) -> Int {
        precondition(payloadLength >= 0, "negative payload length")
        pointer.storeBytes(of: (fin ? 0x80 : 0) | (rsv & 0x70) | (opcode & 0x0F), as: UInt8.self)
        let maskBit: UInt8 = maskKey == nil ? 0 : 0x80
        var length: Int
        if payloadLength < 126 {
            pointer.storeBytes(of: maskBit | UInt8(truncatingIfNeeded: payloadLength), toByteOffset: 1, as: UInt8.self)
            length = 2
        } else if payloadLength <= 0xFFFF {
            pointer.storeBytes(of: maskBit | 126, toByteOffset: 1, as: UInt8.self)
            pointer.storeBytes(of: UInt16(truncatingIfNeeded: payloadLength).bigEndian, toByteOffset: 2, as: UInt16.self)
            length = 4
        } else {
            pointer.storeBytes(of: maskBit | 127, toByteOffset: 1, as: UInt8.self)
            pointer.storeBytes(of: UInt64(truncatingIfNeeded: payloadLength).bigEndian, toByteOffset: 2, as: UInt64.self)
            length = 10
        }
        if let maskKey {
            pointer.storeBytes(of: maskKey, toByteOffset: length, as: UInt32.self)
            length &+= 4
        }
        return length
    }

    /// Writes a complete control frame (FIN set) and returns its size; the payload is masked when a key is given.
    @discardableResult
    public static func writeControlFrame(
        into pointer: UnsafeMutableRawPointer, opcode: UInt8, payload: UnsafeRawBufferPointer, maskKey: UInt32?
    ) -> Int {
        precondition(payload.count <= 125, "control frame payload over 125 bytes")
        let headerLength = writeHeader(
            into: pointer, fin: true, opcode: opcode, payloadLength: payload.count, maskKey: maskKey)
        let body = UnsafeMutableRawBufferPointer(start: pointer + headerLength, count: payload.count)
        if let source = payload.baseAddress {
            body.baseAddress!.copyMemory(from: source, byteCount: payload.count)
        }
        if let maskKey {
            _ = applyMask(body, key: maskKey, phase: 0)
        }
        return headerLength + payload.count
    }

    /// Writes a close frame with `code` and as much of `reason` as fits in 123 bytes, cut at a scalar boundary.
    @discardableResult
    public static func writeCloseFrame(
        into pointer: UnsafeMutableRawPointer, code: UInt16, reason: String, maskKey: UInt32?
    ) -> Int {
        reason.withUTF8Bytes { utf8 in
            let reasonLength = ClosePayload.truncatedReasonLength(utf8.assumingMemoryBound(to: UInt8.self))
            let payloadLength = 2 + reasonLength
            let headerLength = writeHeader(
                into: pointer, fin: true, opcode: WSOpcode.close, payloadLength: payloadLength, maskKey: maskKey)
            let body = pointer + headerLength
            body.storeBytes(of: code.bigEndian, as: UInt16.self)
            if reasonLength > 0 {
                (body + 2).copyMemory(from: utf8.baseAddress!, byteCount: reasonLength)
            }
            if let maskKey {
                _ = applyMask(UnsafeMutableRawBufferPointer(start: body, count: payloadLength), key: maskKey, phase: 0)
            }
            return headerLength + payloadLength
        }
    }
}
