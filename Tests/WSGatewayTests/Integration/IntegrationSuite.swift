import Testing

/// Every integration test runs inside this suite, one at a time: they open real sockets, start gateways
/// and processes, and some measure time or memory, which parallel neighbours would disturb.
@Suite(.serialized) enum Integration {}
