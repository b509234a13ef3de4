/// WebSocket frame opcodes (RFC 6455 §5.2) as raw `UInt8` values, so headers never need conversion.
public enum WSOpcode {
    /// Continuation of a fragmented data message.
    @inlinable public static var continuation: UInt8 { 0x0 }
    /// Text data frame (payload is UTF-8).
    @inlinable public static var text: UInt8 { 0x1 }
    /// Binary data frame.
    @inlinable public static var binary: UInt8 { 0x2 }
    /// Close control frame.
    @inlinable public static var close: UInt8 { 0x8 }
    /// Ping control frame.
    @inlinable public static var ping: UInt8 { 0x9 }
    /// Pong control frame.
    @inlinable public static var pong: UInt8 { 0xA }

    /// Whether `opcode` denotes a control frame (the high bit of the 4-bit opcode is set).
    @inlinable
    public static func isControl(_ opcode: UInt8) -> Bool {
        opcode & 0x8 != 0
    }

    /// Whether `opcode` is one RFC 6455 defines; all others are reserved.
    @inlinable
    public static func isKnown(_ opcode: UInt8) -> Bool {
        opcode <= binary || (opcode >= close && opcode <= pong)
    }
}
