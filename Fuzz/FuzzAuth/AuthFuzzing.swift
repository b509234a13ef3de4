import FuzzSupport
import Glibc
import WSGateway
import WSHTTP
import WSJSON
import WSProtocol

/// Tokens, JWTs and auth messages through the public `Authenticator`, configured with a fixed HS256
/// secret, a static token, an issuer, an audience and a forwarded claim, at a fixed clock.
///
/// The first input byte picks what the rest is (modulo 4):
/// 0. a token, sent as `Authorization: Bearer <token>`;
/// 1. a JWT header and claims set (JSON, separated by a NUL byte; without one, all claims under a standard
///    header), which the harness signs with the secret so the fuzzer reaches the claim checks;
/// 2. a first message (the payload of the auth text message);
/// 3. a whole upgrade request, token wherever the fuzzer puts it (header, query, cookie, subprotocol).
///
/// Properties: rejection reasons never contain the token; an accepted identity and every header added
/// upstream are safe header values; a signed token is accepted only for the `sub` its claims say; and the
/// upstream request built from an accepted request parses and carries no credential.
enum AuthFuzzing {
    static let environment = AuthEnvironment.make()

    static func run(_ input: UnsafeRawBufferPointer) {
        guard let mode = input.first else { return }
        let body = Array(input[1...])
        switch mode % 4 {
        case 0: judgeHeaderToken(body)
        case 1: judgeSignedToken(body)
        case 2: judgeFirstMessage(body)
        default: judgeRequest(body)
        }
    }

    static func judgeHeaderToken(_ token: [UInt8]) {
        guard let head = AuthRequests.parse("GET /ws HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer ", token, "\r\n\r\n")
        else { return }
        check(environment.authenticator.authenticate(request: head, subprotocols: []), token: token)
    }

    static func judgeSignedToken(_ body: [UInt8]) {
        let parts = body.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
        let header = parts.count == 2 ? Array(parts[0]) : Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8)
        let claims = Array(parts.count == 2 ? parts[1] : parts[0])
        let token = environment.sign(header: header, claims: claims)
        guard let head = AuthRequests.parse("GET /ws HTTP/1.1\r\nHost: gw\r\nAuthorization: Bearer ", token, "\r\n\r\n")
        else {
            fuzzCheck(false, "a signed token made an unparsable request")
            return
        }
        let decision = environment.authenticator.authenticate(request: head, subprotocols: [])
        check(decision, token: token)
        if case .accepted(let success) = decision {
            let subject = try? JSONParser.parse(claims)["sub"]?.stringValue
            fuzzCheck(success.identity == subject, "accepted as \(success.identity), claims say \(String(describing: subject))")
        }
    }

    static func judgeFirstMessage(_ payload: [UInt8]) {
        let decision = payload.withUnsafeBytes { environment.authenticator.authenticateFirstMessage($0) }
        if case .deferredToFirstMessage = decision { fuzzCheck(false, "a first message deferred again") }
        check(decision, token: payload)
    }

    static func judgeRequest(_ bytes: [UInt8]) {
        guard let head = AuthRequests.parse("", bytes, ""),
              case .success(let upgrade) = ClientHandshakeValidator.validate(head) else { return }
        let decision = environment.authenticator.authenticate(request: head, subprotocols: upgrade.subprotocols)
        check(decision, token: [])
        guard case .accepted(let success) = decision else { return }
        AuthRequests.checkUpstreamRequest(upgrade: upgrade, success: success)
    }

    /// What holds for every decision: safe identity and headers, and no token in a rejection reason.
    static func check(_ decision: AuthDecision, token: [UInt8]) {
        switch decision {
        case .accepted(let success):
            fuzzCheck(!success.identity.isEmpty && AuthRequests.isSafeValue(success.identity), "identity \(success.identity.utf8.map { $0 })")
            for (name, value) in success.addHeaders {
                fuzzCheck(HTTPToken.isValid(name) && AuthRequests.isSafeValue(value), "added header \(name): \(value.utf8.map { $0 })")
            }
        case .rejected(let rejection):
            fuzzCheck([401, 403].contains(rejection.status), "status \(rejection.status)")
            if token.count >= 6 {
                fuzzCheck(!rejection.reason.utf8.elementsEqual(token) && !rejection.reason.contains(String(decoding: token, as: UTF8.self)),
                          "the token appears in the rejection reason \(rejection.reason)")
            }
        case .deferredToFirstMessage:
            break
        }
    }
}
