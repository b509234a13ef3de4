import WSJSON

/// A JSON Web Key Set (RFC 7517) of signature-checking public keys: RSA (`n`, `e`) and EC P-256 (`x`, `y`).
enum JWKSet {
    /// Loads the keys of the set at `path`; errors name the key by index.
    static func load(path: String) throws(AuthSetupError) -> [VerificationKey] {
        let bytes: [UInt8]
        do throws(ConfigError) {
            bytes = try ConfigFiles.read(path)
        } catch {
            throw AuthSetupError(.jwksFile, error.message)
        }
        do throws(VerificationKey.LoadError) {
            return try parse(bytes)
        } catch {
            throw AuthSetupError(.jwksFile, "\(path): \(error.message)")
        }
    }

    /// The keys of a JWKS document.
    static func parse(_ bytes: [UInt8]) throws(VerificationKey.LoadError) -> [VerificationKey] {
        let document: JSONValue
        do throws(JSONParseError) {
            document = try JSONParser.parse(bytes)
        } catch {
            throw VerificationKey.LoadError(message: "invalid JSON: \(error.description)")
        }
        guard let entries = document["keys"]?.arrayValue, !entries.isEmpty else {
            throw VerificationKey.LoadError(message: "expected an object with a non-empty \"keys\" array")
        }
        var keys: [VerificationKey] = []
        for (index, entry) in entries.enumerated() {
            let key: VerificationKey
            do throws(VerificationKey.LoadError) {
                key = try parseKey(entry)
            } catch {
                throw VerificationKey.LoadError(message: "keys[\(index)]: \(error.message)")
            }
            if let keyID = key.keyID, keys.contains(where: { $0.keyID == keyID }) {
                throw VerificationKey.LoadError(message: "keys[\(index)]: kid \"\(keyID)\" is used twice")
            }
            keys.append(key)
        }
        return keys
    }

    private static func parseKey(_ entry: JSONValue) throws(VerificationKey.LoadError) -> VerificationKey {
        guard case .object(let members) = entry else { throw failure("expected an object") }
        let keyID = try optionalString(members, "kid")
        if let use = try optionalString(members, "use"), use != "sig" {
            throw failure("\"use\" is \"\(use)\"; only signature keys (\"sig\") can check tokens")
        }
        if members.contains("d") { throw failure("holds a private key; give only the public part") }
        let algorithm = try optionalString(members, "alg")
        let der: [UInt8]
        switch try optionalString(members, "kty") {
        case "RSA":
            guard algorithm == nil || algorithm == "RS256" else { throw failure("RSA keys are used only for RS256") }
            der = SubjectPublicKeyInfo.rsa(
                modulus: try bytes(members, "n"), exponent: try bytes(members, "e"))
        case "EC":
            guard algorithm == nil || algorithm == "ES256" else { throw failure("EC keys are used only for ES256") }
            guard try optionalString(members, "crv") == "P-256" else { throw failure("only crv \"P-256\" is supported") }
            let x = try bytes(members, "x")
            let y = try bytes(members, "y")
            guard x.count == 32, y.count == 32 else { throw failure("x and y must be 32 bytes each for P-256") }
            der = SubjectPublicKeyInfo.p256(x: x, y: y)
        case let other:
            throw failure("unsupported kty \(other.map { "\"\($0)\"" } ?? "(missing)"); use \"RSA\" or \"EC\"")
        }
        return try VerificationKey(der: der, keyID: keyID)
    }

    private static func optionalString(_ members: JSONObject, _ name: String) throws(VerificationKey.LoadError) -> String? {
        guard let value = members[name] else { return nil }
        guard let text = value.stringValue else { throw failure("\"\(name)\" must be a string") }
        return text
    }

    private static func bytes(_ members: JSONObject, _ name: String) throws(VerificationKey.LoadError) -> [UInt8] {
        guard let text = try optionalString(members, name) else { throw failure("missing \"\(name)\"") }
        guard let decoded = Base64URL.decode(text.utf8), !decoded.isEmpty else {
            throw failure("\"\(name)\" is not unpadded base64url")
        }
        return decoded
    }

    private static func failure(_ message: String) -> VerificationKey.LoadError {
        VerificationKey.LoadError(message: message)
    }
}
