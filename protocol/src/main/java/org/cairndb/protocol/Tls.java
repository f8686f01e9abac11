package org.cairndb.protocol;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.cairndb.storage.StorageException;

/**
 * TLS from PKCS#12 key stores (made with keytool, no extra library): the server's own key,
 * and the store of peer certificates it trusts. The client uses the JDK's SSLSocket; the server
 * builds its Netty context from the same stores (storage-server's {@code ServerTls}).
 */
public final class Tls {
    private Tls() {}

    /**
     * A client context for the JDK's SSLSocket (the cairn:// client and {@code cairn status}):
     * its own key (the certificate the server trusts) and the server certificates it trusts;
     * either may be null (JDK defaults).
     */
    public static SSLContext client(Path keyStore, Path trustStore, String password) {
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(
                    keyStore == null ? null : keyManagers(keyStore, password).getKeyManagers(),
                    trustStore == null
                            ? null
                            : trustManagers(trustStore, password).getTrustManagers(),
                    null);
            return c;
        } catch (Exception e) {
            throw new StorageException(
                    "cannot set up TLS from key store " + keyStore + " and trust store " + trustStore + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /** The key managers of a PKCS#12 key store. */
    public static KeyManagerFactory keyManagers(Path p, String password) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(p, password), password.toCharArray());
        return kmf;
    }

    /** The trust managers of a PKCS#12 store of trusted certificates. */
    public static TrustManagerFactory trustManagers(Path p, String password) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(p, password));
        return tmf;
    }

    private static KeyStore load(Path p, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p)) {
            ks.load(in, password.toCharArray());
        }
        return ks;
    }
}
