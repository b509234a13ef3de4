import Testing
import WSHTTP
import WSProtocol

@Suite struct DeflateNegotiationTests {
    func negotiate(_ values: String...) -> DeflateAgreement? {
        DeflateNegotiation.negotiate(offers: ExtensionList.parse(values))
    }

    @Test func parsesSeveralOffersParametersAndQuotedValues() {
        let parsed = ExtensionList.parse([
            "permessage-deflate; client_max_window_bits; server_max_window_bits=\"10\", x-foo",
            "Permessage-Deflate ;Server_No_Context_Takeover",
        ])
        #expect(parsed == [
            ExtensionOffer(name: "permessage-deflate", parameters: [
                ExtensionParameter(name: "client_max_window_bits", value: nil),
                ExtensionParameter(name: "server_max_window_bits", value: "10"),
            ]),
            ExtensionOffer(name: "x-foo", parameters: []),
            ExtensionOffer(name: "permessage-deflate", parameters: [ExtensionParameter(name: "server_no_context_takeover", value: nil)]),
        ])
    }

    @Test func malformedElementsAreNilWithoutHidingTheOthers() {
        let parsed = ExtensionList.parse(["permessage-deflate; a=\"x,y\", permessage-deflate; =3, ok; p=\"1\""])
        #expect(parsed.count == 3)
        #expect(parsed[0] == nil)  // the quoted value is not a token once unquoted
        #expect(parsed[1] == nil)
        #expect(parsed[2] == ExtensionOffer(name: "ok", parameters: [ExtensionParameter(name: "p", value: "1")]))
    }

    @Test func plainOfferGetsTheGatewaysWindow() {
        #expect(negotiate("permessage-deflate")?.headerValue == "permessage-deflate; server_max_window_bits=12")
    }

    @Test func browserOfferLetsTheGatewayLimitTheClientWindow() {
        let agreement = negotiate("permessage-deflate; client_max_window_bits")
        #expect(agreement == DeflateAgreement(serverMaxWindowBits: 12, clientMaxWindowBits: 12))
        #expect(agreement?.settings(as: .server).receive == DeflateDirection(noContextTakeover: false, windowBits: 12))
    }

    @Test func noContextTakeoverIsGrantedWhenAsked() {
        let agreement = negotiate("permessage-deflate; server_no_context_takeover; client_no_context_takeover")
        #expect(agreement?.serverNoContextTakeover == true)
        #expect(agreement?.clientNoContextTakeover == true)
        #expect(agreement?.headerValue ==
                "permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=12")
    }

    @Test func smallerWindowsAreKept() {
        let agreement = negotiate("permessage-deflate; server_max_window_bits=10; client_max_window_bits=9")
        #expect(agreement == DeflateAgreement(serverMaxWindowBits: 10, clientMaxWindowBits: 9))
    }

    @Test func invalidOffersAreDeclinedAndTheNextOneTaken() {
        let invalid = [
            "permessage-deflate; server_max_window_bits",  // value required
            "permessage-deflate; server_max_window_bits=16",
            "permessage-deflate; server_max_window_bits=08",
            "permessage-deflate; client_max_window_bits=7",
            "permessage-deflate; server_no_context_takeover=1",
            "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
            "permessage-deflate; unknown_param",
            "permessage-deflate; server_max_window_bits=8",  // zlib cannot compress with a 256-byte window
        ]
        for offer in invalid {
            #expect(negotiate(offer) == nil, "\(offer)")
            #expect(negotiate(offer + ", permessage-deflate; client_no_context_takeover")?.clientNoContextTakeover == true, "\(offer)")
        }
        #expect(negotiate("x-webkit-deflate-frame") == nil)
    }

    func response(_ value: String?) throws -> HTTPHeaders {
        try HandshakeFixture.response(["HTTP/1.1 101 Switching Protocols"] + (value.map { ["Sec-WebSocket-Extensions: \($0)"] } ?? [])).headers
    }

    @Test func clientAcceptsFittingAnswers() throws {
        let offer = DeflateNegotiation.upstreamOffer
        #expect(try DeflateNegotiation.acceptResponse(response(nil), offer: offer).get() == nil)
        #expect(try DeflateNegotiation.acceptResponse(response("permessage-deflate; server_max_window_bits=12"), offer: offer).get()
                == DeflateAgreement(serverMaxWindowBits: 12))
        let noTakeover = try DeflateNegotiation.acceptResponse(
            response("permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=9"),
            offer: offer).get()
        #expect(noTakeover?.settings(as: .client).send == DeflateDirection(noContextTakeover: true, windowBits: 15))
        #expect(noTakeover?.settings(as: .client).receive == DeflateDirection(noContextTakeover: true, windowBits: 9))
    }

    @Test func clientRejectsAnswersOutsideTheOffer() throws {
        let offer = DeflateNegotiation.upstreamOffer
        for bad in ["permessage-deflate", "permessage-deflate; server_max_window_bits=15", "permessage-deflate; client_max_window_bits=10",
                    "x-foo", "permessage-deflate; server_max_window_bits=12, permessage-deflate", "permessage-deflate; bogus"] {
            #expect(throws: UpstreamHandshakeError.self, "\(bad)") { try DeflateNegotiation.acceptResponse(response(bad), offer: offer).get() }
        }
        #expect(throws: UpstreamHandshakeError.self) {
            try DeflateNegotiation.acceptResponse(response("permessage-deflate"), offer: nil).get()
        }
        // Pass-through: a browser's offer allows a client window in the answer.
        #expect(try DeflateNegotiation.acceptResponse(response("permessage-deflate; client_max_window_bits=10"),
                                                      offer: "permessage-deflate; client_max_window_bits").get()?.clientMaxWindowBits == 10)
    }

    @Test func forwardableOffersKeepOnlyValidDeflateOffers() {
        let offers = ExtensionList.parse(["x-foo, permessage-deflate; Client_Max_Window_Bits, permessage-deflate; bogus"])
        #expect(DeflateNegotiation.forwardableOffers(offers) == ["permessage-deflate; client_max_window_bits"])
    }
}
