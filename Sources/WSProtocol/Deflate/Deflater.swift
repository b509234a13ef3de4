import CZlib

/// Compresses whole messages for one permessage-deflate direction (raw deflate, `Z_SYNC_FLUSH`, the
/// trailing `00 00 FF FF` removed, RFC 7692 §7.2.1).
///
/// The z_stream is allocated with the first message. With context takeover it lives as long as the
/// connection; without, it is freed after every message, so an idle connection holds none.
public final class Deflater {
    /// zlib's memLevel: 2^(memLevel+9) bytes of hash and pending buffers; 5 gives 16 KiB (zlib's default 8
    /// gives 128 KiB) for a slightly lower ratio on large repetitive messages.
    public static let memoryLevel: Int32 = 5
    /// zlib's compression levels; 1 is the fastest.
    public static let levels = 1...9
    /// Level 1, as nginx (`gzip_comp_level`) and HAProxy compress by default: on small messages it costs
    /// about half of zlib's default level 6 for a somewhat lower ratio (docs/deflate.md has the figures).
    public static let defaultLevel = 1

    private let noContextTakeover: Bool
    private let zlib: ZStreamHolder

    /// A deflater that uses at most the direction's window, and at most `DeflateNegotiation.preferredWindowBits`.
    /// A window of 8 is never asked for: the server declines such offers and the client never offers it.
    public init(_ direction: DeflateDirection, level: Int = Deflater.defaultLevel) {
        let windowBits = Int32(max(9, min(direction.windowBits, DeflateNegotiation.preferredWindowBits)))
        let zlibLevel = Int32(Deflater.levels.contains(level) ? level : Deflater.defaultLevel)
        noContextTakeover = direction.noContextTakeover
        zlib = ZStreamHolder(start: { wsg_deflateInit2($0, zlibLevel, -windowBits, Deflater.memoryLevel) },
                             end: { deflateEnd($0) })
    }

    /// Appends the compressed form of `message` to `output`; false when zlib failed (out of memory).
    public func deflate(_ message: UnsafeRawBufferPointer, into output: MessageBuffer) -> Bool {
        guard let stream = zlib.prepared() else { return false }
        let start = output.count
        stream.pointee.next_in = message.baseAddress.map {
            UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self))
        }
        stream.pointee.avail_in = uInt(message.count)
        defer {
            stream.pointee.next_in = nil
            if noContextTakeover { zlib.release() }
        }
        while true {
            guard output.reserve(free: max(message.count / 2, 1024) + 64) else { return false }
            let space = output.freeSpace
            let offered = min(space.count, Int(UInt32.max))
            stream.pointee.next_out = space.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(offered)
            let status = CZlib.deflate(stream, Z_SYNC_FLUSH)
            output.count += offered - Int(stream.pointee.avail_out)
            guard status == Z_OK || status == Z_BUF_ERROR else { return false }
            // Done when zlib left output space unused: all input is in and the flush is complete.
            if stream.pointee.avail_out > 0 && stream.pointee.avail_in == 0 { break }
        }
        if output.count - start >= 4, let base = output.base,
           base.loadUnaligned(fromByteOffset: output.count - 4, as: UInt32.self) == UInt32(bigEndian: 0x0000_FFFF) {
            output.count -= 4
        }
        if output.count == start, output.reserve(free: 1) {
            // zlib emits nothing for a second flush without input; the peer still appends 00 00 FF FF and
            // needs a block header before it: a lone 0x00 starts an empty stored block (RFC 7692 §7.2.3.6).
            output.freeSpace.storeBytes(of: 0, as: UInt8.self)
            output.count += 1
        }
        return true
    }

}
