import Testing
import WSProtocol

@Suite struct HandshakeKeyTests {
    @Test func rfcSampleAcceptValue() {
        #expect(WebSocketAccept.value(forKey: "dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test func acceptDependsOnTheKey() {
        #expect(WebSocketAccept.value(forKey: "AQIDBAUGBwgJCgsMDQ4PEA==") == "C/0nmHhBztSRGR1CwL6Tf4ZjwpY=")
    }

    @Test func generatedKeysAreValidAndDiffer() {
        let keys = (0..<50).map { _ in WebSocketKey.generate() }
        for key in keys { #expect(WebSocketKey.isValid(key), "\(key)") }
        #expect(Set(keys).count == keys.count)
    }

    @Test func validKeys() {
        #expect(WebSocketKey.isValid("dGhlIHNhbXBsZSBub25jZQ=="))
        #expect(WebSocketKey.isValid("AAAAAAAAAAAAAAAAAAAAAA=="))
        #expect(WebSocketKey.isValid("+/+/+/+/+/+/+/+/+/+/+w=="))
    }

    @Test func wrongLengths() {
        #expect(!WebSocketKey.isValid(""))
        #expect(!WebSocketKey.isValid("dGhlIHNhbXBsZSBub25jZQ="))
        #expect(!WebSocketKey.isValid("dGhlIHNhbXBsZSBub25jZQ==="))
        #expect(!WebSocketKey.isValid(" dGhlIHNhbXBsZSBub25jZQ=="))
    }

    @Test func fifteenAndSeventeenBytes() {
        // 15 bytes encode to 20 characters, 17 bytes to 24 with a single "=".
        #expect(!WebSocketKey.isValid("AAECAwQFBgcICQoLDA0O"))
        #expect(!WebSocketKey.isValid("AAECAwQFBgcICQoLDA0ODxA="))
        #expect(!WebSocketKey.isValid("AAECAwQFBgcICQoLDA0ODxAR"))
    }

    @Test func badCharactersAndPadding() {
        #expect(!WebSocketKey.isValid("dGhlIHNhbXBsZSBub25jZ-=="))
        #expect(!WebSocketKey.isValid("dGhlIHNhbXBsZSBub25j_Q=="))
        #expect(!WebSocketKey.isValid("dGhlIHNhbXBsZSBub25jZ\u{E9}="))
        #expect(!WebSocketKey.isValid("dGhlIHNhbXBsZSBub25jZQ=A"))
        #expect(!WebSocketKey.isValid("dGhlIHNhbXBsZSBub25j=Q=="))
        // Non-zero bits after the 16th byte: decodes to 16 bytes only by ignoring them.
        #expect(!WebSocketKey.isValid("dGhlIHNhbXBsZSBub25jZR=="))
    }
}
