extension LoopStats {
    /// Adds another loop's gateway-wide counters (the per-route arrays are merged by route name instead).
    mutating func add(_ other: LoopStats) {
        accepted &+= other.accepted
        opened &+= other.opened
        finished &+= other.finished
        rejected &+= other.rejected
        upstreamFailures &+= other.upstreamFailures
        tlsHandshakeFailures &+= other.tlsHandshakeFailures
        handshakeTimeouts &+= other.handshakeTimeouts
        protocolErrors &+= other.protocolErrors
        keepaliveTimeouts &+= other.keepaliveTimeouts
        idleTimeouts &+= other.idleTimeouts
        pingsSent &+= other.pingsSent
        authRejections &+= other.authRejections
        descriptorWaits &+= other.descriptorWaits
        originRejections &+= other.originRejections
        messagesTooBig &+= other.messagesTooBig
        rateLimitPauses &+= other.rateLimitPauses
        rateLimitCloses &+= other.rateLimitCloses
        for index in limitRejections.indices { limitRejections[index] &+= other.limitRejections[index] }
        messagesFromClients &+= other.messagesFromClients
        messagesFromUpstreams &+= other.messagesFromUpstreams
        bytesFromClients &+= other.bytesFromClients
        bytesFromUpstreams &+= other.bytesFromUpstreams
        for index in closeCodesSent.indices { closeCodesSent[index] &+= other.closeCodesSent[index] }
        clientCloseCodes.merge(other.clientCloseCodes, uniquingKeysWith: &+)
        upstreamCloseCodes.merge(other.upstreamCloseCodes, uniquingKeysWith: &+)
        rejectionsByStatus.merge(other.rejectionsByStatus, uniquingKeysWith: &+)
        handshakeDurations.add(other.handshakeDurations)
    }
}
