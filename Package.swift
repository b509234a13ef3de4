// swift-tools-version: 6.0
import PackageDescription

// Layers, lowest first; a target imports only targets above it in this list.
//   CEpoll, COpenSSL, CZlib   C system libraries and shims
//   WSIO                       event loops, timer wheel, sockets, buffer pool
//   WSTLS                      OpenSSL contexts and non-blocking TLS sessions
//   WSHTTP                     HTTP/1.1 head parsing and writing
//   WSJSON                     a small strict JSON reader (config, tokens)
//   WSProtocol                 WebSocket frames, handshake, close codes, UTF-8
//   WSGateway                  config, routing, relay, upstreams, echo, bench
//   wsgate                     the executable
// Release builds skip Swift's dynamic exclusivity checks: profiling the relay showed them at about 30 %
// of the proxy's instructions per message (see docs/benchmarks.md). Debug builds, and so every test run,
// keep them, so an overlapping access is still caught.
let hotPathSettings: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "wsgate",
    products: [
        .executable(name: "wsgate", targets: ["wsgate"]),
    ],
    targets: [
        .systemLibrary(name: "CEpoll", path: "Sources/CEpoll"),
        .systemLibrary(
            name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]),
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        .target(name: "WSIO", dependencies: ["CEpoll"], swiftSettings: hotPathSettings),
        .target(name: "WSTLS", dependencies: ["COpenSSL"], swiftSettings: hotPathSettings),
        .target(name: "WSHTTP", swiftSettings: hotPathSettings),
        .target(name: "WSJSON"),
        .target(name: "WSProtocol", dependencies: ["WSHTTP", "COpenSSL", "CZlib"], swiftSettings: hotPathSettings),
        .target(
            name: "WSGateway",
            dependencies: ["WSIO", "WSTLS", "WSHTTP", "WSJSON", "WSProtocol", "CEpoll", "COpenSSL"],
            swiftSettings: hotPathSettings),
        .executableTarget(name: "wsgate", dependencies: ["WSGateway"]),
        // Fuzz targets (Fuzz/, docs/hardening.md): scripts/fuzz builds each alone with -sanitize=fuzzer,address
        // and -DWSGATE_FUZZ; an ordinary build links them without libFuzzer, as replayers of saved inputs.
        .systemLibrary(name: "CFuzzDriver", path: "Fuzz/CFuzzDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzDriver"], path: "Fuzz/FuzzSupport"),
        .executableTarget(name: "FuzzHTTP", dependencies: ["FuzzSupport", "WSHTTP", "WSProtocol"], path: "Fuzz/FuzzHTTP"),
        .executableTarget(name: "FuzzFrames", dependencies: ["FuzzSupport", "WSProtocol"], path: "Fuzz/FuzzFrames"),
        .executableTarget(
            name: "FuzzRelay", dependencies: ["FuzzSupport", "WSGateway", "WSIO", "WSProtocol"], path: "Fuzz/FuzzRelay"),
        .executableTarget(name: "FuzzJSON", dependencies: ["FuzzSupport", "WSJSON"], path: "Fuzz/FuzzJSON"),
        .executableTarget(
            name: "FuzzAuth", dependencies: ["FuzzSupport", "WSGateway", "WSHTTP", "WSJSON", "WSProtocol", "COpenSSL"],
            path: "Fuzz/FuzzAuth"),
        .testTarget(name: "WSIOTests", dependencies: ["WSIO"]),
        .testTarget(name: "WSTLSTests", dependencies: ["WSTLS", "COpenSSL"]),
        .testTarget(name: "WSHTTPTests", dependencies: ["WSHTTP"]),
        .testTarget(name: "WSJSONTests", dependencies: ["WSJSON"]),
        .testTarget(name: "WSProtocolTests", dependencies: ["WSProtocol"]),
        .testTarget(name: "WSGatewayTests", dependencies: ["WSGateway", "WSIO", "WSProtocol"]),
    ],
    swiftLanguageModes: [.v6]
)
