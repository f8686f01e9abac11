package org.cairndb.protocol.fake;

/** Test fixture for ArchitectureRulesCanFailTest: the protocol module reaching for a transport. */
public class ProtocolUsingNetty {
    public Object misuse() {
        return io.netty.buffer.Unpooled.buffer(8);
    }
}
