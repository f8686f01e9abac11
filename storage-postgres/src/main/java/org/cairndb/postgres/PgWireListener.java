package org.cairndb.postgres;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A LISTEN-only PostgreSQL client on a plain socket: the fastest way we measured to hear a
 * NOTIFY (docs/benchmarks.md, "LISTEN/NOTIFY wake-up"). pgjdbc's {@code getNotifications} probes the socket with
 * a 1 ms read timeout after each message, so a wake-up costs at least a millisecond; this
 * reader blocks in {@code read()} and returns the moment the NotificationResponse arrives.
 *
 * <h2>What it speaks</h2>
 * Protocol 3.0: StartupMessage; authentication trust, cleartext, MD5 or SCRAM-SHA-256 (with
 * the server's signature checked); then one simple Query {@code LISTEN "channel"}; from then
 * on it only reads messages, returning from {@link #await()} at each NotificationResponse
 * ('A') and skipping notices and parameter changes. No TLS: when the server insists on it
 * the connection fails and {@link PgNotifier} falls back to pgjdbc.
 */
final class PgWireListener implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    PgWireListener(PgConfig c, String channel) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setKeepAlive(true);
        socket.connect(new InetSocketAddress(c.host(), c.port()), 10_000);
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 8192));
        out = socket.getOutputStream();
        try {
            startup(c);
            query("LISTEN " + Sql.quote(channel));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private void startup(PgConfig c) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int32(b, 196608); // protocol 3.0
        cstr(b, "user");
        cstr(b, c.user());
        cstr(b, "database");
        cstr(b, c.database());
        cstr(b, "application_name");
        cstr(b, "cairn-listen");
        b.write(0);
        byte[] body = b.toByteArray();
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        int32(m, body.length + 4);
        m.writeBytes(body);
        out.write(m.toByteArray());
        out.flush();
        Scram scram = null;
        while (true) {
            int type = in.readUnsignedByte();
            byte[] msg = new byte[in.readInt() - 4];
            in.readFully(msg);
            if (type == 'E') throw new IOException("PostgreSQL refused the LISTEN connection: " + errorText(msg));
            if (type == 'Z') return;
            if (type != 'R') continue; // ParameterStatus, BackendKeyData, notices
            int auth = ((msg[0] & 0xff) << 24) | ((msg[1] & 0xff) << 16) | ((msg[2] & 0xff) << 8) | (msg[3] & 0xff);
            switch (auth) {
                case 0 -> {
                    /* AuthenticationOk */
                }
                case 3 -> password(cstrBytes(requirePassword(c)));
                case 5 -> {
                    String inner = md5Hex((requirePassword(c) + c.user()).getBytes(StandardCharsets.UTF_8));
                    byte[] salted =
                            concat(inner.getBytes(StandardCharsets.US_ASCII), java.util.Arrays.copyOfRange(msg, 4, 8));
                    password(cstrBytes("md5" + md5Hex(salted)));
                }
                case 10 -> {
                    scram = new Scram(requirePassword(c));
                    ByteArrayOutputStream p = new ByteArrayOutputStream();
                    cstr(p, "SCRAM-SHA-256");
                    byte[] first = scram.clientFirst().getBytes(StandardCharsets.UTF_8);
                    int32(p, first.length);
                    p.writeBytes(first);
                    password(p.toByteArray());
                }
                case 11 ->
                    password(scram.clientFinal(new String(msg, 4, msg.length - 4, StandardCharsets.UTF_8))
                            .getBytes(StandardCharsets.UTF_8));
                case 12 -> scram.verifyServer(new String(msg, 4, msg.length - 4, StandardCharsets.UTF_8));
                default ->
                    throw new IOException("PostgreSQL asks for authentication method " + auth
                            + ", which the LISTEN client does not speak");
            }
        }
    }

    private static String requirePassword(PgConfig c) throws IOException {
        if (c.password() == null)
            throw new IOException("PostgreSQL asks user '" + c.user() + "' for a password and the URI has none");
        return c.password();
    }

    private void password(byte[] body) throws IOException {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.write('p');
        int32(m, body.length + 4);
        m.writeBytes(body);
        out.write(m.toByteArray());
        out.flush();
    }

    private void query(String sql) throws IOException {
        byte[] q = cstrBytes(sql);
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.write('Q');
        int32(m, q.length + 4);
        m.writeBytes(q);
        out.write(m.toByteArray());
        out.flush();
        while (true) {
            int type = in.readUnsignedByte();
            byte[] msg = new byte[in.readInt() - 4];
            in.readFully(msg);
            if (type == 'E') throw new IOException("LISTEN failed: " + errorText(msg));
            if (type == 'Z') return;
        }
    }

    /** Blocks until the next notification arrives. @throws EOFException when the server closed the connection */
    void await() throws IOException {
        while (true) {
            int type = in.read();
            if (type < 0) throw new EOFException("PostgreSQL closed the LISTEN connection");
            int len = in.readInt() - 4;
            in.skipNBytes(len);
            if (type == 'A') return;
            if (type == 'E') throw new IOException("PostgreSQL ended the LISTEN connection with an error");
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static String errorText(byte[] msg) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < msg.length && msg[i] != 0) {
            char field = (char) msg[i++];
            int start = i;
            while (i < msg.length && msg[i] != 0) i++;
            String v = new String(msg, start, i - start, StandardCharsets.UTF_8);
            i++;
            if (field == 'C' || field == 'M')
                sb.append(sb.length() == 0 ? "" : " ").append(field == 'C' ? v + ":" : v);
        }
        return sb.toString();
    }

    private static void int32(ByteArrayOutputStream b, int v) {
        b.write(v >>> 24);
        b.write(v >>> 16);
        b.write(v >>> 8);
        b.write(v);
    }

    private static void cstr(ByteArrayOutputStream b, String s) {
        b.writeBytes(cstrBytes(s));
    }

    private static byte[] cstrBytes(String s) {
        byte[] v = s.getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.copyOf(v, v.length + 1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static String md5Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no MD5 in this JVM", e);
        }
    }

    /** SCRAM-SHA-256 (RFC 5802 / 7677) as PostgreSQL uses it: no channel binding, empty user name. */
    private static final class Scram {
        private final String password;
        private final String nonce;
        private String clientFirstBare;
        private byte[] serverSignature;

        Scram(String password) {
            this.password = password;
            byte[] r = new byte[18];
            new SecureRandom().nextBytes(r);
            this.nonce = Base64.getEncoder().encodeToString(r);
        }

        String clientFirst() {
            clientFirstBare = "n=,r=" + nonce;
            return "n,," + clientFirstBare;
        }

        String clientFinal(String serverFirst) throws IOException {
            String r = null;
            String s = null;
            int i = 0;
            for (String part : serverFirst.split(",")) {
                if (part.startsWith("r=")) r = part.substring(2);
                else if (part.startsWith("s=")) s = part.substring(2);
                else if (part.startsWith("i=")) i = Integer.parseInt(part.substring(2));
            }
            if (r == null || s == null || i <= 0 || !r.startsWith(nonce))
                throw new IOException("malformed SCRAM server-first message");
            try {
                SecretKeyFactory f = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
                byte[] salted = f.generateSecret(new PBEKeySpec(
                                password.toCharArray(), Base64.getDecoder().decode(s), i, 256))
                        .getEncoded();
                byte[] clientKey = hmac(salted, "Client Key");
                byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
                String withoutProof = "c=biws,r=" + r;
                String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
                byte[] signature = hmac(storedKey, authMessage);
                byte[] proof = new byte[clientKey.length];
                for (int k = 0; k < proof.length; k++) proof[k] = (byte) (clientKey[k] ^ signature[k]);
                serverSignature = hmac(hmac(salted, "Server Key"), authMessage);
                return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
            } catch (GeneralSecurityException e) {
                throw new IOException("SCRAM-SHA-256 not computable in this JVM", e);
            }
        }

        void verifyServer(String serverFinal) throws IOException {
            String v = serverFinal.startsWith("v=") ? serverFinal.substring(2).split(",")[0] : "";
            if (!MessageDigest.isEqual(Base64.getDecoder().decode(v), serverSignature)) {
                throw new IOException("the server's SCRAM signature is wrong: not the PostgreSQL we meant to talk to");
            }
        }

        private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        }
    }
}
