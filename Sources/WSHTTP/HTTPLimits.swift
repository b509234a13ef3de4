/// Size limits applied while parsing an HTTP head.
public struct HTTPLimits: Sendable, Equatable {
    /// Longest request line accepted, including its CRLF; longer lines fail with 414.
    public var maxRequestLine: Int
    /// Longest head accepted, including the final empty line; longer heads fail with 431.
    public var maxHeadSize: Int
    /// Most header fields accepted; more fail with 431.
    public var maxHeaderCount: Int

    /// Creates limits; the defaults are the gateway's standard limits.
    public init(maxRequestLine: Int = 8192, maxHeadSize: Int = 16384, maxHeaderCount: Int = 100) {
        self.maxRequestLine = maxRequestLine
        self.maxHeadSize = maxHeadSize
        self.maxHeaderCount = maxHeaderCount
    }

    /// 8 KiB request line, 16 KiB head, 100 header fields.
    public static let `default` = HTTPLimits()
}
