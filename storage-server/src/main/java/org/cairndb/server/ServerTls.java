package org.cairndb.server;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Path;
import org.cairndb.protocol.Tls;
import org.cairndb.storage.StorageException;

/**
 * The server's TLS context (Netty): its own key and the client certificates it trusts, from
 * the PKCS#12 stores {@link Tls} reads; a client certificate is required.
 */
final class ServerTls {
    private ServerTls() {}

    static SslContext context(Path keyStore, Path trustStore, String password) {
        if (trustStore == null) {
            throw new IllegalArgumentException(
                    "TLS needs a trust store of client certificates (--tls-truststore) besides the key store "
                            + keyStore);
        }
        try {
            return SslContextBuilder.forServer(Tls.keyManagers(keyStore, password))
                    .trustManager(Tls.trustManagers(trustStore, password))
                    .clientAuth(ClientAuth.REQUIRE)
                    .build();
        } catch (Exception e) {
            throw new StorageException(
                    "cannot set up TLS from key store " + keyStore + " and trust store " + trustStore + ": "
                            + e.getMessage(),
                    e);
        }
    }
}
