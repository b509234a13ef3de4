import CZlib

/// Decompresses the messages of one permessage-deflate direction into a `MessageBuffer`, stopping at a
/// size limit before inflating any further (a small "bomb" never expands beyond the limit plus one byte).
///
/// The z_stream is allocated with the first message. With context takeover it lives as long as the
/// connection (its window is part of the protocol state); without, it is freed after every message.
public final class Inflater {
    /// How one call went.
    public enum Outcome: Equatable, Sendable {
        /// All input was consumed; the message so far fits the limit.
        case ok
        /// The message inflates to more than the limit; inflation stopped there.
        case limitReached
        /// The input is not valid raw deflate data (or zlib had no memory), with zlib's message.
        case invalid(String)
    }

    private let noContextTakeover: Bool
    private let zlib: ZStreamHolder

    /// An inflater for a direction compressed with at most `windowBits` (8…15; 8 is inflated with 9,
    /// since zlib compressors asked for 8 use 9).
    public init(_ direction: DeflateDirection) {
        let windowBits = Int32(max(direction.windowBits, 9))
        noContextTakeover = direction.noContextTakeover
        zlib = ZStreamHolder(start: { wsg_inflateInit2($0, -windowBits) }, end: { inflateEnd($0) })
    }

    /// Inflates one more piece of the current message's payload, appending to `output` while it stays
    /// within `limit` bytes in total.
    public func inflate(_ input: UnsafeRawBufferPointer, into output: MessageBuffer, limit: Int) -> Outcome {
        guard !input.isEmpty else { return .ok }
        return run(input, into: output, limit: limit)
    }

    /// Ends the current message: feeds the `00 00 FF FF` tail the sender removed (RFC 7692 §7.2.2).
    public func finishMessage(into output: MessageBuffer, limit: Int) -> Outcome {
        let tail: [UInt8] = [0x00, 0x00, 0xFF, 0xFF]
        let outcome = tail.withUnsafeBytes { run($0, into: output, limit: limit) }
        if noContextTakeover { zlib.release() }
        return outcome
    }

    /// Forgets the current message (the connection is closing, or the message was refused).
    public func abandonMessage() {
        zlib.release()
    }

    private func run(_ input: UnsafeRawBufferPointer, into output: MessageBuffer, limit: Int) -> Outcome {
        guard let stream = zlib.prepared() else { return .invalid("out of memory") }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress!.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        defer {
            // The stream is gone after invalid data; otherwise it must not keep pointing at the caller's bytes.
            if let current = zlib.stream {
                current.pointee.next_in = nil
                current.pointee.avail_in = 0
            }
        }
        while true {
            // Room for one byte past the limit, so going over it is seen without inflating further.
            let allowed = limit == .max ? Int(UInt32.max) : limit - output.count + 1
            guard allowed > 0 else { return .limitReached }
            guard output.reserve(free: min(allowed, max(output.count, 16_384))) else { return .invalid("out of memory") }
            let space = output.freeSpace
            let offered = min(space.count, allowed, Int(UInt32.max))
            stream.pointee.next_out = space.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(offered)
            let status = CZlib.inflate(stream, Z_SYNC_FLUSH)
            let produced = offered - Int(stream.pointee.avail_out)
            output.count += produced
            if output.count > limit { return .limitReached }
            switch status {
            case Z_OK, Z_BUF_ERROR:
                if stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 { return .ok }
                if status == Z_BUF_ERROR && produced == 0 && stream.pointee.avail_out > 0 { return .ok }
            case Z_STREAM_END:
                // A final block (BFINAL): the stream starts afresh for the next message.
                inflateReset(stream)
                return .ok
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                zlib.release()
                return .invalid(message)
            }
        }
    }

}
