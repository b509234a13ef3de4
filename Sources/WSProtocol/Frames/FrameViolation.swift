/// A protocol violation found in a frame or message, with the close code the peer must be sent.
///
/// Only a one-byte kind is stored, so creating one on the hot path costs nothing; the text reason is built
/// when it is logged or put into a close frame.
public struct FrameViolation: Error, Sendable, Equatable {
    /// What rule was broken.
    public enum Kind: UInt8, Sendable, Equatable, CaseIterable {
        /// RSV bits set that no negotiated extension allows here.
        case reservedBits
        /// A reserved opcode (0x3–0x7, 0xB–0xF).
        case unknownOpcode
        /// A control frame with more than 125 payload bytes.
        case controlTooLong
        /// A control frame without FIN.
        case controlFragmented
        /// A continuation frame with no message in progress.
        case unexpectedContinuation
        /// A text or binary frame while a fragmented message is unfinished.
        case expectedContinuation
        /// An unmasked frame where masking is required (client to server).
        case maskRequired
        /// A masked frame where masking is forbidden (server to client).
        case maskForbidden
        /// A 64-bit payload length with its most significant bit set.
        case lengthTooLarge
        /// A close payload of exactly one byte.
        case invalidClosePayload
        /// A close code that must not appear on the wire.
        case invalidCloseCode
        /// Text (or a close reason) that is not valid UTF-8.
        case invalidUTF8
        /// A frame or message over the configured size limit.
        case messageTooBig
        /// A permessage-deflate message whose payload is not valid raw deflate data.
        case invalidCompressedData
    }

    /// What rule was broken.
    public let kind: Kind

    /// Creates a violation of the given kind.
    @inlinable
    public init(_ kind: Kind) {
        self.kind = kind
    }

    /// The close code to send for this violation (RFC 6455 §7.4.1).
    @inlinable
    public var closeCode: UInt16 {
        switch kind {
        case .invalidUTF8, .invalidCompressedData: return 1007
        case .messageTooBig: return 1009
        default: return 1002
        }
    }

    /// A short human-readable reason, short enough for a close frame; allocates, so use it only when closing.
    public var reason: String {
        switch kind {
        case .reservedBits: return "reserved bits set"
        case .unknownOpcode: return "unknown opcode"
        case .controlTooLong: return "control frame payload over 125 bytes"
        case .controlFragmented: return "fragmented control frame"
        case .unexpectedContinuation: return "continuation frame outside a message"
        case .expectedContinuation: return "new data frame inside an unfinished message"
        case .maskRequired: return "unmasked frame from client"
        case .maskForbidden: return "masked frame from server"
        case .lengthTooLarge: return "64-bit payload length has its most significant bit set"
        case .invalidClosePayload: return "close payload of one byte"
        case .invalidCloseCode: return "close code not allowed on the wire"
        case .invalidUTF8: return "invalid UTF-8 in text"
        case .messageTooBig: return "message too big"
        case .invalidCompressedData: return "invalid compressed data"
        }
    }
}

extension FrameViolation: CustomStringConvertible {
    /// The reason and the close code, for logs.
    public var description: String {
        "\(reason) (\(closeCode))"
    }
}
