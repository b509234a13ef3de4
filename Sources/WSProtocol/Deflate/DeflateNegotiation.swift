import WSHTTP

/// permessage-deflate negotiation for both roles of the gateway (RFC 7692 §5 and §7.1).
public enum DeflateNegotiation {
    /// The window the gateway compresses with and asks peers to compress with when it may choose: 4 KiB
    /// windows keep a compressed connection's memory small (see docs/deflate.md) at a small cost in ratio.
    public static let preferredWindowBits = 12

    /// The server side: the first acceptable permessage-deflate offer, answered; nil declines them all.
    ///
    /// An offer with an unknown, repeated or invalid parameter is declined, not the handshake. An offer
    /// demanding `server_max_window_bits=8` is declined too: zlib cannot compress with a 256-byte window
    /// (it silently uses 512 bytes, which such a client could not decode).
    public static func negotiate(offers: [ExtensionOffer?]) -> DeflateAgreement? {
        for case let offer? in offers {
            guard let parameters = DeflateParameters(offer, isResponse: false) else { continue }
            if parameters.serverMaxWindowBits == 8 { continue }
            var agreement = DeflateAgreement(serverNoContextTakeover: parameters.serverNoContextTakeover,
                                             clientNoContextTakeover: parameters.clientNoContextTakeover)
            // The server may always announce a window smaller than the client allowed (§7.1.2.1).
            agreement.serverMaxWindowBits = min(parameters.serverMaxWindowBits ?? 15, preferredWindowBits)
            if let offered = parameters.clientMaxWindowBits {
                // The client said it can limit its window: ask for ours, or keep its own smaller limit.
                agreement.clientMaxWindowBits = offered == 0 ? preferredWindowBits : min(offered, preferredWindowBits)
            }
            return agreement
        }
        return nil
    }

    /// The offer the gateway sends upstream when it terminates compression. It does not offer
    /// `client_max_window_bits`, so the upstream cannot ask for a window zlib cannot compress with.
    public static let upstreamOffer = "permessage-deflate; server_max_window_bits=\(preferredWindowBits)"

    /// The client side: the upstream's `Sec-WebSocket-Extensions` answer to `offer` (nil when none was
    /// sent). Returns the agreement, nil when the upstream declined, or why the answer is unacceptable.
    public static func acceptResponse(
        _ headers: HTTPHeaders, offer: String?
    ) -> Result<DeflateAgreement?, UpstreamHandshakeError> {
        let values = headers.values("Sec-WebSocket-Extensions")
        guard !values.isEmpty else { return .success(nil) }
        guard let offer else {
            return .failure(UpstreamHandshakeError(reason: "upstream selected an extension none was offered"))
        }
        let elements = ExtensionList.parse(values)
        guard elements.count == 1, let element = elements[0] else {
            return .failure(UpstreamHandshakeError(reason: "upstream selected more than one extension or a malformed one"))
        }
        guard let answer = DeflateParameters(element, isResponse: true) else {
            return .failure(UpstreamHandshakeError(reason: "upstream selected an unknown extension or invalid parameters"))
        }
        let offered = ExtensionList.parse([offer]).compactMap { $0 }.compactMap { DeflateParameters($0, isResponse: false) }
        guard offered.contains(where: { answer.fits(offer: $0) }) else {
            return .failure(UpstreamHandshakeError(reason: "upstream's permessage-deflate parameters do not fit the offer"))
        }
        return .success(DeflateAgreement(
            serverNoContextTakeover: answer.serverNoContextTakeover, clientNoContextTakeover: answer.clientNoContextTakeover,
            serverMaxWindowBits: answer.serverMaxWindowBits, clientMaxWindowBits: answer.clientMaxWindowBits))
    }

    /// The permessage-deflate offers among `offers`, rewritten canonically, for forwarding (pass-through).
    public static func forwardableOffers(_ offers: [ExtensionOffer?]) -> [String] {
        offers.compactMap { offer in
            guard let offer, DeflateParameters(offer, isResponse: false) != nil else { return nil }
            return offer.headerValue
        }
    }
}

extension DeflateParameters {
    /// Whether a response with these parameters answers `offer` (RFC 7692 §7.1.1–7.1.2).
    func fits(offer: DeflateParameters) -> Bool {
        if offer.serverNoContextTakeover && !serverNoContextTakeover { return false }
        if let limit = offer.serverMaxWindowBits, (serverMaxWindowBits ?? 15) > limit { return false }
        if let bits = clientMaxWindowBits {
            guard let offered = offer.clientMaxWindowBits else { return false }
            if offered != 0 && bits > offered { return false }
        }
        return true
    }
}
