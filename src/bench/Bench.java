import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import de.mkammerer.argon2.jna.Argon2Library;
import de.mkammerer.argon2.jna.JnaUint32;
import de.mkammerer.argon2.jna.Size_t;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Java half of src/bench/run.sh (which compiles it against the service's own jars and runs it).
 *
 * <pre>
 *   raw-rs256 KEY.pem SECONDS            cost of one RS256 signature, ACCP and JDK, as the server builds its keys
 *   raw-argon2 SECONDS                   cost of one Argon2id hash, m=19456 t=2 p=1, Bouncy Castle and native (libargon2)
 *   warmup   k=v...                      logins, then refresh chains, unmeasured
 *   refresh  k=v...                      N concurrent refresh chains (each response's cookie feeds the next)
 *   login    k=v...                      logins at saturation, with a fixed-rate JWKS probe alongside
 *   grant    k=v...                      client_credentials grants (client_secret_basic) at saturation, after a warm-up
 *   introspect k=v...                    introspections of one client token at saturation, after a warm-up
 *   exchange k=v...                      token exchanges (RFC 8693) of one user token at saturation, after a warm-up
 *   raw-es256 SECONDS                    cost of one ES256 verification of a passkey assertion, ACCP and JDK
 *   passkey  k=v...                      passwordless sign-ins (options, then the assertion) of one passkey at saturation, after a warm-up
 *   recovery k=v...                      the relay's mails/s to an SMTP sink, POST /password-reset CPU (known vs unknown), login p99 with mails queued
 *   report   RESULTS.kv RESULTS.json     the table on stdout, and the same figures as JSON
 * </pre>
 *
 * Measuring commands print {@code key=value} lines, which run.sh collects for {@code report}.
 * The HTTP client is a minimal blocking HTTP/1.1 one over keep-alive sockets, one thread per
 * connection: much cheaper per request than java.net.http, so the generator is not what saturates,
 * and it sends the Secure cookie back over plain http itself.
 */
public class Bench {

    static final String COOKIE = "__Secure-refresh_token";

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "raw-rs256" -> rawRs256(Path.of(args[1]), Double.parseDouble(args[2]));
            case "raw-argon2" -> rawArgon2(Double.parseDouble(args[1]));
            case "warmup" -> warmup(new Opts(args));
            case "refresh" -> refresh(new Opts(args));
            case "login" -> login(new Opts(args));
            case "grant" -> oauth(new Opts(args), "grant", grantRequest(new Opts(args)));
            case "introspect" -> oauth(new Opts(args), "introspect", introspectRequest(new Opts(args)));
            case "exchange" -> oauth(new Opts(args), "exchange", exchangeRequest(new Opts(args)));
            case "raw-es256" -> rawEs256(Double.parseDouble(args[1]));
            case "passkey" -> passkey(new Opts(args));
            case "recovery" -> recovery(new Opts(args));
            case "report" -> Report.write(Path.of(args[1]), Path.of(args[2]));
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    // ---- Raw costs ----------------------------------------------------------------------------------

    /** One RS256 signature over a token-sized input, with a key from the provider's own KeyFactory (as the server does). */
    static void rawRs256(Path pem, double seconds) throws Exception {
        String b64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(b64);
        byte[] input = new byte[620]; // header.payload of a Sigil access token is about this long
        new SecureRandom().nextBytes(input);
        Provider accp = AmazonCorrettoCryptoProvider.INSTANCE;
        accp.getClass().getMethod("assertHealthy").invoke(accp);
        for (Provider p : new Provider[] {accp, null}) {
            KeyFactory kf = p == null ? KeyFactory.getInstance("RSA") : KeyFactory.getInstance("RSA", p);
            PrivateKey key = kf.generatePrivate(new PKCS8EncodedKeySpec(der));
            String name = p == null ? "jdk" : "accp";
            double[] perOp = timeOps(seconds, () -> {
                // a new Signature per token, as jose4j does
                Signature s = p == null ? Signature.getInstance("SHA256withRSA") : Signature.getInstance("SHA256withRSA", p);
                s.initSign(key);
                s.update(input);
                s.sign();
            });
            System.out.printf(Locale.ROOT, "raw_rs256_%s_cpu_us=%.1f%nraw_rs256_%s_wall_us=%.1f%n", name, perOp[0] / 1e3, name, perOp[1] / 1e3);
            if (p != null) {
                System.out.println("raw_rs256_provider=" + p.getName() + " " + p.getVersionStr());
            }
        }
    }

    /**
     * One ES256 verification of a passkey assertion (authenticator data and the client data's hash), with the
     * public key from the provider's own KeyFactory: what webauthn4j asks of the first provider (ACCP in the server).
     */
    static void rawEs256(double seconds) throws Exception {
        byte[] authData = new byte[37];
        byte[] clientDataHash = new byte[32];
        new SecureRandom().nextBytes(authData);
        new SecureRandom().nextBytes(clientDataHash);
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = g.generateKeyPair();
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(pair.getPrivate());
        signer.update(authData);
        signer.update(clientDataHash);
        byte[] signature = signer.sign();
        for (Provider p : new Provider[] {AmazonCorrettoCryptoProvider.INSTANCE, null}) {
            KeyFactory kf = p == null ? KeyFactory.getInstance("EC") : KeyFactory.getInstance("EC", p);
            PublicKey key = kf.generatePublic(new X509EncodedKeySpec(pair.getPublic().getEncoded()));
            String name = p == null ? "jdk" : "accp";
            double[] perOp = timeOps(seconds, () -> {
                Signature s = p == null ? Signature.getInstance("SHA256withECDSA") : Signature.getInstance("SHA256withECDSA", p);
                s.initVerify(key);
                s.update(authData);
                s.update(clientDataHash);
                if (!s.verify(signature)) {
                    throw new IllegalStateException("ES256 verification failed");
                }
            });
            System.out.printf(Locale.ROOT, "raw_es256_%s_cpu_us=%.1f%nraw_es256_%s_wall_us=%.1f%n", name, perOp[0] / 1e3, name, perOp[1] / 1e3);
        }
    }

    /**
     * One Argon2id hash with the server's parameters, by each implementation the server may use: Bouncy Castle
     * (includes this JVM's GC of the 19 MiB it allocates) and libargon2 through JNA (memory malloc'd in C).
     */
    static void rawArgon2(double seconds) throws Exception {
        byte[] salt = new byte[16];
        byte[] password = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);
        double[] bc = timeOps(seconds, () -> {
            Argon2BytesGenerator g = new Argon2BytesGenerator();
            g.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                    .withMemoryAsKB(19456).withIterations(2).withParallelism(1).withSalt(salt).build());
            g.generateBytes(password, new byte[32]);
        });
        System.out.printf(Locale.ROOT, "raw_argon2_cpu_ms=%.2f%nraw_argon2_wall_ms=%.2f%n", bc[0] / 1e6, bc[1] / 1e6);
        Argon2Library lib = Argon2Library.INSTANCE;
        double[] nat = timeOps(seconds, () -> {
            byte[] out = new byte[32];
            int rc = lib.argon2id_hash_raw(new JnaUint32(2), new JnaUint32(19456), new JnaUint32(1),
                    password, new Size_t(password.length), salt, new Size_t(salt.length), out, new Size_t(out.length));
            if (rc != Argon2Library.ARGON2_OK) {
                throw new IllegalStateException(lib.argon2_error_message(rc));
            }
        });
        System.out.printf(Locale.ROOT, "raw_argon2_native_cpu_ms=%.2f%nraw_argon2_native_wall_ms=%.2f%n", nat[0] / 1e6, nat[1] / 1e6);
    }

    interface Op {
        void run() throws Exception;
    }

    /**
     * {process CPU ns, wall ns} per operation over {@code seconds}, after a warm-up in 1 s rounds that
     * goes on until the CPU per operation stops falling (at most 20 s): with one CPU the JIT is slow.
     */
    static double[] timeOps(double seconds, Op op) throws Exception {
        long warmEnd = System.nanoTime() + 20_000_000_000L;
        double best = Double.MAX_VALUE;
        for (int stale = 0; stale < 2 && System.nanoTime() < warmEnd; ) {
            double cpu = measureOps(1, op)[0];
            stale = cpu < best * 0.97 ? 0 : stale + 1;
            best = Math.min(best, cpu);
        }
        return measureOps(seconds, op);
    }

    static double[] measureOps(double seconds, Op op) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime(), t0 = System.nanoTime(), end = t0 + (long) (seconds * 1e9);
        long n = 0;
        do {
            op.run();
            n++;
        } while (System.nanoTime() < end);
        return new double[] {(double) (os.getProcessCpuTime() - cpu0) / n, (double) (System.nanoTime() - t0) / n};
    }

    // ---- Load phases --------------------------------------------------------------------------------

    /**
     * Logins, then refresh chains, each in rounds until the server's CPU per operation stops falling
     * (two rounds without a 5 % gain) or {@code max-seconds} have passed. A fixed few seconds are far
     * from enough: with one CPU the JIT's compiler threads compete with the saturated event loop, and CPU
     * per rotation kept falling for some 40 s (4.5 ms, 2.1, 1.6, ... 0.8 in 5 s rounds). Logins are worse:
     * at a few dozen a second, the code around the hash takes minutes to reach the invocation counts at
     * which the JIT compiles it (a profile of a login phase after 20 s showed 6 % of its CPU still in the
     * interpreter).
     */
    static void warmup(Opts o) throws Exception {
        long loginEnd = System.nanoTime() + o.num("max-seconds") * 1_000_000_000L;
        double bestLogin = Double.MAX_VALUE;
        for (int round = 1, stale = 0; stale < 2 && System.nanoTime() < loginEnd; round++) {
            Server server = new Server(o.num("pid"), o.num("redis-pid"), o.num("clk-tck"));
            server.start();
            Result r = loginLoad(o, o.num("concurrency"), Math.max(5, o.num("seconds")), null);
            server.stop();
            double cpuMs = server.cpuMs() / Math.max(1, r.ok);
            System.err.printf(Locale.ROOT, "   login warm-up round %d: %.1f logins/s, %.2f ms server CPU per login%n", round, r.ok / r.seconds, cpuMs);
            stale = cpuMs < bestLogin * 0.95 ? 0 : stale + 1;
            bestLogin = Math.min(bestLogin, cpuMs);
        }
        List<String> cookies = login(o, o.num("sessions"));
        long end = System.nanoTime() + o.num("max-seconds") * 1_000_000_000L;
        double best = Double.MAX_VALUE;
        for (int round = 1, stale = 0; stale < 2 && System.nanoTime() < end; round++) {
            Server server = new Server(o.num("pid"), o.num("redis-pid"), o.num("clk-tck"));
            server.start();
            Result r = runChains(o, cookies, 5);
            server.stop();
            double cpuMs = server.cpuMs() / r.ok;
            System.err.printf(Locale.ROOT, "   warm-up round %d: %.0f rotations/s, %.3f ms server CPU per rotation%n", round, r.ok / r.seconds, cpuMs);
            stale = cpuMs < best * 0.95 ? 0 : stale + 1;
            best = Math.min(best, cpuMs);
        }
    }

    static void refresh(Opts o) throws Exception {
        List<String> cookies = login(o, o.num("sessions"));
        Server server = new Server(o.num("pid"), o.num("redis-pid"), o.num("clk-tck"));
        server.start();
        Result r = runChains(o, cookies, o.num("seconds"));
        server.stop();
        r.print("refresh");
        System.out.printf(Locale.ROOT, "refresh_sessions=%d%nrefresh_cpu_us=%.1f%nrefresh_redis_cpu_us=%.1f%nrefresh_rss_max_kib=%d%n",
                cookies.size(), server.cpuMs() * 1e3 / r.ok, server.redisCpuMs() * 1e3 / r.ok, server.rssMaxKib);
        System.out.printf(Locale.ROOT, "refresh_generator_cpu_pct=%.0f%n", server.generatorCpuPct());
    }

    static void login(Opts o) throws Exception {
        Server server = new Server(o.num("pid"), o.num("redis-pid"), o.num("clk-tck"));
        Probe probe = new Probe(o, o.num("probe-rate"));
        server.start();
        Result r = loginLoad(o, o.num("concurrency"), o.num("seconds"), probe);
        server.stop();
        r.print("login");
        System.out.printf(Locale.ROOT, "login_concurrency=%d%nlogin_cpu_ms=%.2f%nlogin_rss_max_kib=%d%nlogin_generator_cpu_pct=%.0f%n",
                o.num("concurrency"), server.cpuMs() / r.ok, server.rssMaxKib, server.generatorCpuPct());
        probe.result.print("jwks_probe");
        System.out.println("jwks_probe_rate=" + o.num("probe-rate"));
    }

    /**
     * One /oauth2 request on {@code connections} keep-alive connections at saturation: unmeasured
     * rounds of 5 s until the server's CPU per request stops falling (JIT), then the measured phase.
     * Prints {@code <name>_rps}, latencies, errors and server (and Redis) CPU per request.
     */
    static void oauth(Opts o, String name, byte[] request) throws Exception {
        double best = Double.MAX_VALUE;
        long end = System.nanoTime() + o.num("max-warmup") * 1_000_000_000L;
        for (int round = 1, stale = 0; stale < 2 && System.nanoTime() < end; round++) {
            Server server = new Server(o.num("pid"), o.num("redis-pid"), o.num("clk-tck"));
            server.start();
            Result r = fixedRequest(o, request, 5);
            server.stop();
            double cpuUs = server.cpuMs() * 1e3 / r.ok;
            System.err.printf(Locale.ROOT, "   %s warm-up round %d: %.0f/s, %.1f us server CPU each%n", name, round, r.ok / r.seconds, cpuUs);
            stale = cpuUs < best * 0.95 ? 0 : stale + 1;
            best = Math.min(best, cpuUs);
        }
        Server server = new Server(o.num("pid"), o.num("redis-pid"), o.num("clk-tck"));
        server.start();
        Result r = fixedRequest(o, request, o.num("seconds"));
        server.stop();
        r.print(name);
        System.out.printf(Locale.ROOT, "%s_cpu_us=%.1f%n%s_redis_cpu_us=%.1f%n%s_generator_cpu_pct=%.0f%n",
                name, server.cpuMs() * 1e3 / r.ok, name, server.redisCpuMs() * 1e3 / r.ok, name, server.generatorCpuPct());
    }

    /**
     * Passwordless sign-ins on {@code connections} keep-alive connections, one user and passkey each (registered first,
     * unmeasured, for new users that the admin {@code user} creates): each sign-in is the options request and the
     * assertion (verification, session, token), counted once. One user per connection, as the sign-ins of real users
     * do not queue behind each other on one account's sessions and passkey row; each user soon holds
     * sigil.sessions.max-per-user sessions, so most sign-ins also end the least recently used one (as in the login
     * phase). Synced passkeys (BE and BS set, counter always 0, as iCloud and Google report theirs).
     * Warm-up rounds as {@link #oauth}; prints {@code passkey_rps}, latencies, errors and server CPU per sign-in.
     */
    static void passkey(Opts o) throws Exception {
        List<Passkey> keys = new ArrayList<>();
        for (int i = 0; i < o.num("connections"); i++) {
            keys.add(Passkey.register(o));
        }
        double best = Double.MAX_VALUE;
        long end = System.nanoTime() + o.num("max-warmup") * 1_000_000_000L;
        for (int round = 1, stale = 0; stale < 2 && System.nanoTime() < end; round++) {
            Server server = new Server(o.num("pid"), o.num("redis-pid"), o.num("clk-tck"));
            server.start();
            Result r = passkeySignIns(o, keys, 5);
            server.stop();
            double cpuUs = server.cpuMs() * 1e3 / Math.max(1, r.ok);
            System.err.printf(Locale.ROOT, "   passkey warm-up round %d: %.0f/s, %.1f us server CPU each%n", round, r.ok / r.seconds, cpuUs);
            stale = cpuUs < best * 0.95 ? 0 : stale + 1;
            best = Math.min(best, cpuUs);
        }
        Server server = new Server(o.num("pid"), o.num("redis-pid"), o.num("clk-tck"));
        server.start();
        Result r = passkeySignIns(o, keys, o.num("seconds"));
        server.stop();
        r.print("passkey");
        System.out.printf(Locale.ROOT, "passkey_cpu_us=%.1f%npasskey_redis_cpu_us=%.1f%npasskey_generator_cpu_pct=%.0f%n",
                server.cpuMs() * 1e3 / r.ok, server.redisCpuMs() * 1e3 / r.ok, server.generatorCpuPct());
    }

    static Result passkeySignIns(Opts o, List<Passkey> keys, int seconds) throws Exception {
        byte[] optionsRequest = jsonRequest("/login/passkey/options", null, "{}");
        return Result.run(o.num("connections"), seconds, (i, deadline, rec) -> {
            Passkey key = keys.get(i);
            try (Http http = new Http(o.num("port"))) {
                http.keepBody = true;
                while (System.nanoTime() < deadline) {
                    long t0 = System.nanoTime();
                    Http.Response options = http.exchangeOrNull(optionsRequest);
                    if (options == null || options.status != 200) {
                        rec.record(t0, false, options == null ? "io" : "options-" + options.status);
                        continue;
                    }
                    String body = "{\"ceremony\":\"" + Passkey.field(options.body, "ceremony") + "\",\"credential\":"
                            + key.assertion(Passkey.field(options.body, "challenge")) + "}";
                    Http.Response r = http.exchangeOrNull(jsonRequest("/login/passkey", null, body));
                    rec.record(t0, r != null && r.status == 200, r == null ? "io" : Integer.toString(r.status));
                }
            }
        });
    }

    static byte[] jsonRequest(String path, String bearer, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (bearer == null ? "" : "Authorization: Bearer " + bearer + "\r\n")
                + "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A software passkey (P-256, attestation none) for origin http://localhost:PORT, rp id localhost: the JSON a browser's
     * credential.toJSON() gives, with hand-built CBOR (the bench compiles against the crypto jars only).
     */
    static final class Passkey {
        static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
        final KeyPair keys;
        final byte[] credentialId = new byte[32];
        final String origin;
        byte[] userHandle;

        Passkey(String origin) throws Exception {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            keys = g.generateKeyPair();
            new SecureRandom().nextBytes(credentialId);
            this.origin = origin;
        }

        /** A new user (created by the admin of {@code user}/{@code password}) with this passkey registered. */
        static Passkey register(Opts o) throws Exception {
            Passkey key = new Passkey("http://localhost:" + o.num("port"));
            try (Http http = new Http(o.num("port"))) {
                http.keepBody = true;
                String admin = field(call(http, "/login", null, "{\"username\":\"" + o.str("user") + "\",\"password\":\"" + o.str("password") + "\"}", 200).body, "access_token");
                String name = "bench-pk-" + Long.toHexString(new SecureRandom().nextLong());
                String password = Long.toHexString(new SecureRandom().nextLong()) + Long.toHexString(new SecureRandom().nextLong());
                String credentials = "{\"username\":\"" + name + "\",\"password\":\"" + password + "\"}";
                call(http, "/admin/users", admin, credentials, 201);
                String token = field(call(http, "/login", null, credentials, 200).body, "access_token");
                String options = call(http, "/me/passkeys/registration/options", token, "{\"password\":\"" + password + "\"}", 200).body;
                key.userHandle = Base64.getUrlDecoder().decode(field(options.substring(options.indexOf("\"user\"")), "id"));
                call(http, "/me/passkeys/registration", token, "{\"ceremony\":\"" + field(options, "ceremony") + "\",\"credential\":"
                        + key.registration(field(options, "challenge")) + ",\"name\":\"bench\"}", 201);
            }
            return key;
        }

        static Http.Response call(Http http, String path, String bearer, String body, int expected) throws IOException {
            Http.Response r = http.exchange(jsonRequest(path, bearer, body));
            if (r.status != expected) {
                throw new IllegalStateException("POST " + path + " answered " + r.status + ": " + r.body);
            }
            return r;
        }

        /** The first string value of {@code "name":"..."} in a JSON text (the bench's answers have no escapes in them). */
        static String field(String json, String name) {
            int at = json.indexOf("\"" + name + "\":\"");
            if (at < 0) {
                throw new IllegalStateException("no " + name + " in " + json);
            }
            int start = at + name.length() + 4;
            return json.substring(start, json.indexOf('"', start));
        }

        String registration(String challenge) throws Exception {
            byte[] x = coordinate(((ECPublicKey) keys.getPublic()).getW().getAffineX());
            byte[] y = coordinate(((ECPublicKey) keys.getPublic()).getW().getAffineY());
            // COSE_Key {1: 2 (EC2), 3: -7 (ES256), -1: 1 (P-256), -2: x, -3: y}
            java.io.ByteArrayOutputStream cose = new java.io.ByteArrayOutputStream();
            cose.writeBytes(new byte[] {(byte) 0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20});
            cose.writeBytes(x);
            cose.writeBytes(new byte[] {0x22, 0x58, 0x20});
            cose.writeBytes(y);
            java.io.ByteArrayOutputStream attested = new java.io.ByteArrayOutputStream();
            attested.writeBytes(new byte[16]); // AAGUID zero, as attestation none reports it
            attested.writeBytes(new byte[] {0, (byte) credentialId.length});
            attested.writeBytes(credentialId);
            attested.writeBytes(cose.toByteArray());
            byte[] authData = authData(0x40, attested.toByteArray());
            // {"fmt": "none", "attStmt": {}, "authData": bytes}
            java.io.ByteArrayOutputStream att = new java.io.ByteArrayOutputStream();
            att.writeBytes(new byte[] {(byte) 0xa3, 0x63, 'f', 'm', 't', 0x64, 'n', 'o', 'n', 'e',
                    0x67, 'a', 't', 't', 'S', 't', 'm', 't', (byte) 0xa0, 0x68, 'a', 'u', 't', 'h', 'D', 'a', 't', 'a',
                    0x59, (byte) (authData.length >> 8), (byte) authData.length});
            att.writeBytes(authData);
            return credential("\"clientDataJSON\":\"" + B64.encodeToString(clientData("webauthn.create", challenge))
                    + "\",\"attestationObject\":\"" + B64.encodeToString(att.toByteArray()) + "\",\"transports\":[\"internal\"]");
        }

        /** AuthenticationResponseJSON: user present and verified, counter 0. */
        String assertion(String challenge) throws Exception {
            byte[] clientData = clientData("webauthn.get", challenge);
            byte[] authData = authData(0, new byte[0]);
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(keys.getPrivate());
            s.update(authData);
            s.update(MessageDigest.getInstance("SHA-256").digest(clientData));
            return credential("\"clientDataJSON\":\"" + B64.encodeToString(clientData) + "\",\"authenticatorData\":\""
                    + B64.encodeToString(authData) + "\",\"signature\":\"" + B64.encodeToString(s.sign())
                    + "\",\"userHandle\":\"" + B64.encodeToString(userHandle) + "\"");
        }

        private String credential(String response) {
            String id = B64.encodeToString(credentialId);
            return "{\"id\":\"" + id + "\",\"rawId\":\"" + id + "\",\"type\":\"public-key\",\"response\":{" + response
                    + "},\"authenticatorAttachment\":\"platform\",\"clientExtensionResults\":{}}";
        }

        private byte[] clientData(String type, String challenge) {
            return ("{\"type\":\"" + type + "\",\"challenge\":\"" + challenge + "\",\"origin\":\"" + origin + "\",\"crossOrigin\":false}")
                    .getBytes(StandardCharsets.UTF_8);
        }

        /** rpIdHash, flags UP UV BE BS (plus {@code extraFlags}), counter 0, then {@code attested}. */
        private static byte[] authData(int extraFlags, byte[] attested) throws Exception {
            byte[] rpIdHash = MessageDigest.getInstance("SHA-256").digest("localhost".getBytes(StandardCharsets.UTF_8));
            byte[] out = Arrays.copyOf(rpIdHash, 37 + attested.length);
            out[32] = (byte) (extraFlags | 0x01 | 0x04 | 0x08 | 0x10);
            System.arraycopy(attested, 0, out, 37, attested.length);
            return out;
        }

        private static byte[] coordinate(java.math.BigInteger v) {
            byte[] b = v.toByteArray();
            byte[] out = new byte[32];
            int n = Math.min(32, b.length);
            System.arraycopy(b, b.length - n, out, 32 - n, n);
            return out;
        }
    }

    static Result fixedRequest(Opts o, byte[] request, int seconds) throws Exception {
        return Result.run(o.num("connections"), seconds, (i, deadline, rec) -> {
            try (Http http = new Http(o.num("port"))) {
                while (System.nanoTime() < deadline) {
                    long t0 = System.nanoTime();
                    Http.Response r = http.exchangeOrNull(request);
                    rec.record(t0, r != null && r.status == 200, r == null ? "io" : Integer.toString(r.status));
                }
            }
        });
    }

    static byte[] grantRequest(Opts o) {
        return formRequest("/oauth2/token", o, "grant_type=client_credentials");
    }

    static byte[] introspectRequest(Opts o) {
        return formRequest("/oauth2/introspect", o, "token=" + o.str("token"));
    }

    /** A token exchange of the user token {@code token} for the client's default audience (its subject verified, its session read). */
    static byte[] exchangeRequest(Opts o) {
        return formRequest("/oauth2/token", o, "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange"
                + "&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aaccess_token&subject_token=" + o.str("token"));
    }

    private static byte[] formRequest(String path, Opts o, String body) {
        String basic = Base64.getEncoder().encodeToString((o.str("client-id") + ":" + o.str("client-secret")).getBytes(StandardCharsets.UTF_8));
        return ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic " + basic
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    // ---- Account recovery (#26) ---------------------------------------------------------------------

    /**
     * The three figures of issue #26, against a server whose mailer points at {@code smtp-port}, where this command
     * runs {@link SmtpSink}:
     * <ol>
     * <li>the relay's sustained rate: {@code mails} rows put in the outbox at once (psql), timed from the first to
     * the last arrival at the sink, with the server's CPU per mail;</li>
     * <li>then, the sink stopped (so the relay's later sends are mere probes, alike for both paths, and what is compared
     * is the request's own work): {@code POST /password-reset} for the account's address and for an unknown one on
     * {@code connections} connections, in turns K U U K K U U K after a warm-up of both, server CPU counted up to a
     * second after each turn (the detached token and mail writes) and divided by its requests;</li>
     * <li>sequential logins, ABBA: with an empty outbox, then with {@code queued} mails due against the stopped SMTP
     * server.</li>
     * </ol>
     */
    static void recovery(Opts o) throws Exception {
        SmtpSink sink = new SmtpSink(o.num("smtp-port"));
        int mails = o.num("mails");
        psql(o, "delete from sigil.mail_outbox");
        relayBatch(o, sink, mails, null); // unmeasured: the relay's code is still interpreted at first
        Server server = new Server(o.num("pid"), o.num("redis-pid"), o.num("clk-tck"));
        long received = relayBatch(o, sink, mails, server);
        double spanS = (sink.lastNs - sink.firstNs) / 1e9;
        System.out.printf(Locale.ROOT, "relay_mails=%d%nrelay_received=%d%nrelay_mails_per_s=%.1f%nrelay_cpu_us=%.1f%n",
                mails, received, (received - 1) / spanS, server.cpuMs() * 1e3 / Math.max(1, received));
        sink.close();

        byte[] known = resetRequest(o.str("email"));
        byte[] unknown = resetRequest("nobody-" + Long.toHexString(new SecureRandom().nextLong()) + "@example.com");
        int seconds = Math.max(1, o.num("seconds") / 2);
        long warmEnd = System.nanoTime() + o.num("max-warmup") * 1_000_000_000L;
        double best = Double.MAX_VALUE;
        for (int round = 1, stale = 0; stale < 2 && System.nanoTime() < warmEnd; round++) {
            double k = resetTurn(o, known, 5)[0], u = resetTurn(o, unknown, 5)[0];
            System.err.printf(Locale.ROOT, "   reset warm-up round %d: %.1f us (known), %.1f us (unknown) server CPU each%n", round, k, u);
            stale = k + u < best * 0.95 ? 0 : stale + 1;
            best = Math.min(best, k + u);
        }
        String[] order = {"known", "unknown", "unknown", "known", "known", "unknown", "unknown", "known"};
        double[] cpu = new double[2], n = new double[2], errors = new double[2];
        StringBuilder turns = new StringBuilder();
        for (String which : order) {
            int i = which.equals("known") ? 0 : 1;
            double[] t = resetTurn(o, i == 0 ? known : unknown, seconds);
            cpu[i] += t[0] * t[1];
            n[i] += t[1];
            errors[i] += t[2];
            turns.append(turns.isEmpty() ? "" : " ").append(which.charAt(0)).append(f1(t[0]));
        }
        System.out.printf(Locale.ROOT, "reset_known_cpu_us=%.1f%nreset_unknown_cpu_us=%.1f%nreset_known_rps=%.1f%nreset_unknown_rps=%.1f%n",
                cpu[0] / n[0], cpu[1] / n[1], n[0] / (4.0 * seconds), n[1] / (4.0 * seconds));
        System.out.printf(Locale.ROOT, "reset_errors=%.0f%nreset_turns_cpu_us=%s%nreset_rate=%d%n",
                errors[0] + errors[1], turns, o.num("rate"));

        psql(o, "delete from sigil.mail_outbox"); // the known address' mails of the turns above
        Thread.sleep(2000);
        int loginSeconds = o.num("seconds");
        loginLoad(o, 1, loginSeconds, null); // unmeasured: back to logins after the resets
        List<long[]> pooled = new ArrayList<>(List.of(new long[0], new long[0]));
        int turn = 0;
        for (String which : new String[] {"empty", "queued", "queued", "empty"}) {
            int i = which.equals("empty") ? 0 : 1;
            if (i == 1 && turn == 1) {
                psql(o, insertMails(o.num("queued")));
                Thread.sleep(3000); // the relay finds them and its first probe fails
            }
            Result r = loginLoad(o, 1, loginSeconds, null);
            r.print("recovery_login_" + which + (++turn));
            if (i == 1 && turn == 3) {
                String left = psql(o, "select count(*) from sigil.mail_outbox where state = 'pending'");
                System.out.println("recovery_login_queued_left=" + left.trim());
                psql(o, "delete from sigil.mail_outbox");
                Thread.sleep(2000);
            }
            long[] both = Arrays.copyOf(pooled.get(i), pooled.get(i).length + r.latencies.length);
            System.arraycopy(r.latencies, 0, both, pooled.get(i).length, r.latencies.length);
            pooled.set(i, both);
        }
        for (int i = 0; i < 2; i++) { // the two turns of each, pooled
            Result all = new Result();
            all.latencies = pooled.get(i);
            Arrays.sort(all.latencies);
            String which = i == 0 ? "empty" : "queued";
            System.out.printf(Locale.ROOT, "recovery_login_%s_p99_ms=%.2f%nrecovery_login_%s_p50_ms=%.2f%nrecovery_login_%s_n=%d%n",
                    which, all.percentileMs(99), which, all.percentileMs(50), which, all.latencies.length);
        }
        System.out.printf("recovery_login_queued=%d%n", o.num("queued"));
    }

    /** Puts {@code mails} mails in the outbox at once and waits (at most 2 minutes) until the sink has them all. */
    static long relayBatch(Opts o, SmtpSink sink, int mails, Server server) throws Exception {
        sink.count.set(0);
        if (server != null) {
            server.start();
        }
        psql(o, insertMails(mails));
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (sink.count.get() < mails && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (server != null) {
            server.stop();
        }
        return sink.count.get();
    }

    static String f1(double d) {
        return String.format(Locale.ROOT, "%.0f", d);
    }

    /**
     * {server CPU us per accepted request, accepted requests, errors} of one turn at {@code rate} requests/s (the same
     * for both paths: CPU per request falls as load rises, since the event loop then handles more per wake-up, and
     * the known path's detached writes wait on PostgreSQL's commits, so at saturation it would run at a lower rate
     * and read dearer for that alone), CPU counted until 1 s after it.
     */
    static double[] resetTurn(Opts o, byte[] request, int seconds) throws Exception {
        Server server = new Server(o.num("pid"), o.num("redis-pid"), o.num("clk-tck"));
        server.start();
        int connections = o.num("connections");
        long intervalNs = 1_000_000_000L * connections / o.num("rate");
        Result r = Result.run(connections, seconds, (i, deadline, rec) -> {
            try (Http http = new Http(o.num("port"))) {
                for (long due = System.nanoTime() + i * intervalNs / connections; due < deadline; due += intervalNs) {
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                    Http.Response resp = http.exchangeOrNull(request);
                    rec.record(due, resp != null && resp.status == 202, resp == null ? "io" : Integer.toString(resp.status));
                }
            }
        });
        Thread.sleep(1000); // the token and mail writes detached from the last answers
        server.stop();
        double errors = r.errors.values().stream().mapToInt(Integer::intValue).sum();
        if (errors > 0) {
            System.err.println("   reset errors: " + r.errors);
        }
        return new double[] {server.cpuMs() * 1e3 / Math.max(1, r.ok), r.ok, errors};
    }

    static byte[] resetRequest(String email) {
        String body = "{\"email\":\"" + email + "\"}";
        return ("POST /password-reset HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@code n} reset mails due now, as RecoveryMails writes them (distinct Message-IDs and recipients). */
    static String insertMails(int n) {
        return "insert into sigil.mail_outbox (message_id, recipient, template, params, next_attempt_at, created_at) "
                + "select '<bench-' || g || '-' || md5(random()::text) || '@localhost>', 'bench-' || g || '@example.com', "
                + "'password-reset', jsonb_build_object('username', 'bench-' || g, 'link', "
                + "'http://127.0.0.1/account/reset-password?token=' || md5(random()::text), 'minutes', 30), now(), now() "
                + "from generate_series(1, " + n + ") g";
    }

    static String psql(Opts o, String sql) throws Exception {
        Process p = new ProcessBuilder("psql", "-h", "localhost", "-U", "postgres", "-d", o.str("database"), "-qAtc", sql)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("psql: " + out);
        }
        return out;
    }

    /**
     * A minimal SMTP server that accepts every message (one thread per connection): the relay's far end, so that
     * the bench needs nothing beyond this file. Counts messages and notes the first and last arrival.
     */
    static final class SmtpSink implements AutoCloseable {
        final java.net.ServerSocket server;
        final AtomicLong count = new AtomicLong();
        final List<Socket> open = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile long firstNs, lastNs;

        SmtpSink(int port) throws IOException {
            server = new java.net.ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress("127.0.0.1", port), 64);
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        open.add(s);
                        Thread t = new Thread(() -> session(s));
                        t.setDaemon(true);
                        t.start();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void session(Socket s) {
            try (s) {
                var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                var out = new java.io.BufferedWriter(new java.io.OutputStreamWriter(s.getOutputStream(), StandardCharsets.ISO_8859_1));
                reply(out, "220 sink ESMTP");
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    String verb = line.length() < 4 ? line.toUpperCase(Locale.ROOT) : line.substring(0, 4).toUpperCase(Locale.ROOT);
                    switch (verb) {
                        case "EHLO" -> reply(out, "250-sink\r\n250-PIPELINING\r\n250 8BITMIME");
                        case "DATA" -> {
                            reply(out, "354 go on");
                            for (String d = in.readLine(); d != null && !d.equals("."); d = in.readLine()) {
                                // the message body, discarded
                            }
                            long now = System.nanoTime();
                            if (count.incrementAndGet() == 1) {
                                firstNs = now;
                            }
                            lastNs = now;
                            reply(out, "250 queued");
                        }
                        case "QUIT" -> {
                            reply(out, "221 bye");
                            return;
                        }
                        default -> reply(out, "250 ok");
                    }
                }
            } catch (IOException closed) {
                // the relay hung up, or the sink was stopped
            } finally {
                open.remove(s);
            }
        }

        private static void reply(java.io.BufferedWriter out, String line) throws IOException {
            out.write(line);
            out.write("\r\n");
            out.flush();
        }

        /** Stops listening and drops every connection: from now on the SMTP server is unreachable. */
        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : open) {
                s.close();
            }
        }
    }

    /** Logs in {@code n} sessions (unmeasured) and returns their refresh cookies. */
    static List<String> login(Opts o, int n) throws Exception {
        List<String> cookies = new ArrayList<>();
        try (Http http = new Http(o.num("port"))) {
            byte[] req = loginRequest(o);
            for (int i = 0; i < n; i++) {
                Http.Response r = http.exchange(req);
                if (r.status != 200 || r.cookie == null) {
                    throw new IllegalStateException("login for the refresh sessions answered " + r.status);
                }
                cookies.add(r.cookie);
            }
        }
        return cookies;
    }

    /** One chain per session: every refresh presents the cookie the previous one set; {@code cookies} ends with the last ones. */
    static Result runChains(Opts o, List<String> cookies, int seconds) throws Exception {
        return Result.run(cookies.size(), seconds, (i, deadline, rec) -> {
            String cookie = cookies.get(i);
            try (Http http = new Http(o.num("port"))) {
                while (System.nanoTime() < deadline) {
                    cookies.set(i, cookie);
                    long t0 = System.nanoTime();
                    Http.Response r = http.exchangeOrNull(("POST /refresh-token HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + COOKIE + "="
                            + cookie + "\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    boolean ok = r != null && r.status == 200 && r.cookie != null;
                    rec.record(t0, ok, r == null ? "io" : Integer.toString(r.status));
                    if (ok) {
                        cookie = r.cookie;
                    } else if (r != null && r.status == 401) {
                        return; // the session is gone: this chain cannot go on
                    }
                }
            }
        });
    }

    static Result loginLoad(Opts o, int concurrency, int seconds, Probe probe) throws Exception {
        if (probe != null) {
            probe.start(seconds);
        }
        byte[] req = loginRequest(o);
        Result r = Result.run(concurrency, seconds, (i, deadline, rec) -> {
            try (Http http = new Http(o.num("port"))) {
                while (System.nanoTime() < deadline) {
                    long t0 = System.nanoTime();
                    Http.Response resp = http.exchangeOrNull(req);
                    rec.record(t0, resp != null && resp.status == 200, resp == null ? "io" : Integer.toString(resp.status));
                }
            }
        });
        if (probe != null) {
            probe.join();
        }
        return r;
    }

    static byte[] loginRequest(Opts o) {
        String body = "{\"username\":\"" + o.str("user") + "\",\"password\":\"" + o.str("password") + "\"}";
        return ("POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * GET /.well-known/jwks.json at a fixed rate on a few connections, latency counted from the moment
     * each request was due (not when it was sent), so a stalled event loop cannot hide behind a
     * client that politely waits.
     */
    static final class Probe {
        static final int CONNECTIONS = 4;
        final Opts o;
        final int rate;
        Result result;
        Thread runner;

        Probe(Opts o, int rate) {
            this.o = o;
            this.rate = rate;
        }

        void start(int seconds) {
            byte[] req = "GET /.well-known/jwks.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
            long intervalNs = 1_000_000_000L * CONNECTIONS / rate;
            runner = new Thread(() -> {
                try {
                    result = Result.run(CONNECTIONS, seconds, (i, deadline, rec) -> {
                        try (Http http = new Http(o.num("port"))) {
                            long due = System.nanoTime() + i * intervalNs / CONNECTIONS;
                            while (due < deadline) {
                                long wait = due - System.nanoTime();
                                if (wait > 0) {
                                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                                }
                                Http.Response r = http.exchangeOrNull(req);
                                rec.record(due, r != null && r.status == 200, r == null ? "io" : Integer.toString(r.status));
                                due += intervalNs;
                            }
                        }
                    });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            runner.start();
        }

        void join() throws InterruptedException {
            runner.join();
        }
    }

    /** Operations of one phase: counted and timed only when they complete within the phase. */
    static final class Result {
        interface Worker {
            void run(int index, long deadline, Recorder rec) throws Exception;
        }

        static final class Recorder {
            final long deadline;
            long[] latencies = new long[1024];
            int ok;
            final Map<String, Integer> errors = new LinkedHashMap<>();

            Recorder(long deadline) {
                this.deadline = deadline;
            }

            void record(long startNs, boolean success, String status) {
                long end = System.nanoTime();
                if (end > deadline) {
                    return; // finished after the phase, whose CPU reading has already been taken
                }
                if (!success) {
                    errors.merge(status, 1, Integer::sum);
                    return;
                }
                if (ok == latencies.length) {
                    latencies = Arrays.copyOf(latencies, ok * 2);
                }
                latencies[ok++] = end - startNs;
            }
        }

        long ok;
        double seconds;
        long[] latencies;
        final Map<String, Integer> errors = new ConcurrentHashMap<>();

        static Result run(int threads, int seconds, Worker worker) throws Exception {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            AtomicLong deadline = new AtomicLong();
            List<Recorder> recs = new ArrayList<>();
            List<Thread> ts = new ArrayList<>();
            Map<String, Integer> failures = new ConcurrentHashMap<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                Thread t = new Thread(() -> {
                    ready.countDown();
                    try {
                        go.await();
                        Recorder rec = new Recorder(deadline.get());
                        synchronized (recs) {
                            recs.add(rec);
                        }
                        worker.run(index, rec.deadline, rec);
                    } catch (Exception e) {
                        failures.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                    }
                });
                t.start();
                ts.add(t);
            }
            ready.await();
            long start = System.nanoTime();
            deadline.set(start + seconds * 1_000_000_000L);
            go.countDown();
            for (Thread t : ts) {
                t.join();
            }
            Result r = new Result();
            r.seconds = seconds;
            r.errors.putAll(failures);
            r.latencies = recs.stream().flatMapToLong(rec -> Arrays.stream(rec.latencies, 0, rec.ok)).sorted().toArray();
            r.ok = r.latencies.length;
            recs.forEach(rec -> rec.errors.forEach((k, v) -> r.errors.merge(k, v, Integer::sum)));
            return r;
        }

        double percentileMs(double p) {
            return latencies.length == 0 ? Double.NaN
                    : latencies[Math.min(latencies.length - 1, (int) Math.ceil(p / 100 * latencies.length) - 1)] / 1e6;
        }

        void print(String prefix) {
            System.out.printf(Locale.ROOT, "%s_ops=%d%n%s_rps=%.1f%n%s_p50_ms=%.2f%n%s_p99_ms=%.2f%n%s_max_ms=%.2f%n",
                    prefix, ok, prefix, ok / seconds, prefix, percentileMs(50), prefix, percentileMs(99), prefix, percentileMs(100));
            System.out.printf("%s_errors=%d%n%s_error_kinds=%s%n", prefix, errors.values().stream().mapToInt(Integer::intValue).sum(),
                    prefix, errors.isEmpty() ? "none" : errors.toString().replace(" ", ""));
        }
    }

    /** The server process seen from /proc: CPU time over a phase, peak RSS sampled during it. */
    static final class Server {
        final int pid, redisPid, clkTck;
        long cpu0, cpu1, redis0, redis1, gen0, gen1, t0, t1;
        volatile long rssMaxKib;
        volatile boolean running;
        Thread sampler;

        Server(int pid, int redisPid, int clkTck) {
            this.pid = pid;
            this.redisPid = redisPid;
            this.clkTck = clkTck;
        }

        void start() throws IOException {
            running = true;
            sampler = new Thread(() -> {
                while (running) {
                    rssMaxKib = Math.max(rssMaxKib, rssKib(pid));
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.setDaemon(true);
            sampler.start();
            t0 = System.nanoTime();
            cpu0 = ticks(pid);
            redis0 = ticks(redisPid);
            gen0 = genCpuNs();
        }

        void stop() throws IOException {
            cpu1 = ticks(pid);
            redis1 = ticks(redisPid);
            gen1 = genCpuNs();
            t1 = System.nanoTime();
            running = false;
        }

        double cpuMs() {
            return (cpu1 - cpu0) * 1000.0 / clkTck;
        }

        double redisCpuMs() {
            return (redis1 - redis0) * 1000.0 / clkTck;
        }

        /** This generator's own CPU over the phase, in % of one core: near 100 would make it the bottleneck. */
        double generatorCpuPct() {
            return 100.0 * (gen1 - gen0) / (t1 - t0);
        }

        static long genCpuNs() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        }

        /** utime + stime, in clock ticks (fields 14 and 15 of /proc/PID/stat, counted after the command name). */
        static long ticks(int pid) throws IOException {
            String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }

        static long rssKib(int pid) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("\\D", ""));
                    }
                }
            } catch (IOException gone) {
                // the process ended; the phase will fail on its own
            }
            return 0;
        }
    }

    /** A blocking HTTP/1.1 keep-alive connection to 127.0.0.1. */
    static final class Http implements AutoCloseable {
        record Response(int status, String cookie, String body) {
        }

        final int port;
        /** Whether answers' bodies are read (as text) rather than skipped. */
        boolean keepBody;
        Socket socket;
        InputStream in;
        OutputStream out;

        Http(int port) {
            this.port = port;
        }

        /** Null on an I/O failure (counted as an error by the caller); the next call reconnects. */
        Response exchangeOrNull(byte[] request) {
            try {
                return exchange(request);
            } catch (IOException e) {
                close();
                return null;
            }
        }

        Response exchange(byte[] request) throws IOException {
            if (socket == null) {
                socket = new Socket();
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                socket.setSoTimeout(30_000);
                in = new BufferedInputStream(socket.getInputStream(), 16384);
                out = socket.getOutputStream();
            }
            out.write(request);
            out.flush();
            String statusLine = line();
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = 0;
            boolean chunked = false, close = false;
            String cookie = null;
            for (String h = line(); !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close");
                    case "set-cookie" -> {
                        if (value.startsWith(COOKIE + "=")) {
                            String v = value.substring(COOKIE.length() + 1, value.indexOf(';'));
                            cookie = v.isEmpty() ? null : v;
                        }
                    }
                    default -> {
                    }
                }
            }
            java.io.ByteArrayOutputStream body = keepBody ? new java.io.ByteArrayOutputStream() : null;
            if (chunked) {
                for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
                     size = Long.parseLong(line().split(";")[0].trim(), 16)) {
                    skip(size, body);
                    line();
                }
                while (!line().isEmpty()) {
                    // trailers
                }
            } else {
                skip(length, body);
            }
            if (close) {
                close();
            }
            return new Response(status, cookie, body == null ? null : body.toString(StandardCharsets.UTF_8));
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }

        private void skip(long n, java.io.ByteArrayOutputStream keep) throws IOException {
            if (keep != null) {
                byte[] b = in.readNBytes((int) n);
                if (b.length < n) {
                    throw new IOException("connection closed");
                }
                keep.writeBytes(b);
                return;
            }
            while (n > 0) {
                long s = in.skip(n);
                if (s <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed");
                    }
                    s = 1;
                }
                n -= s;
            }
        }

        @Override
        public void close() {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
        }
    }

    /** The table and the JSON, from the key=value lines of every step. */
    static final class Report {
        record Row(String figure, String value, String target, Boolean met) {
        }

        static void write(Path kv, Path json) throws IOException {
            Map<String, String> v = new LinkedHashMap<>();
            for (String line : Files.readAllLines(kv)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    v.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            for (String raw : List.of("raw_rs256_accp_cpu_us", "raw_rs256_jdk_cpu_us", "raw_argon2_cpu_ms", "raw_argon2_wall_ms",
                    "raw_argon2_native_cpu_ms", "raw_argon2_native_wall_ms",
                    "grant_raw_rs256_accp_cpu_us", "exchange_raw_rs256_accp_cpu_us", "passkey_raw_rs256_accp_cpu_us",
                    "passkey_raw_es256_accp_cpu_us", "passkey_raw_es256_jdk_cpu_us")) {
                // The lower of the two: the same work measured as low as 29 and as high as 69 ms CPU in
                // back-to-back JVMs here, so the lower one is the cost the server could reach (stricter ratios).
                v.put(raw, Double.toString(Math.min(d(v, "before_" + raw), d(v, "after_" + raw))));
            }
            Map<String, Double> ratios = new LinkedHashMap<>();
            double aotShare = d(v, "startup_aot_ms") / d(v, "startup_nocache_ms");
            double aotToMinimal = d(v, "startup_aot_ms") / d(v, "startup_minimal_ms");
            ratios.put("startup_aot_to_nocache", aotShare);
            ratios.put("startup_aot_to_minimal_app", aotToMinimal);
            double jwksRatio = d(v, "jwks_sigil_rps") / d(v, "jwks_nginx_rps");
            double refreshCpuMs = d(v, "refresh_cpu_us") / 1e3;
            double refreshRatio = d(v, "refresh_cpu_us") / d(v, "raw_rs256_accp_cpu_us");
            double loginRatio = d(v, "login_cpu_ms") / d(v, "raw_argon2_cpu_ms");
            double loginNativeRatio = d(v, "login_cpu_ms") / d(v, "raw_argon2_native_cpu_ms");
            double rssLoadMib = Math.max(d(v, "refresh_rss_max_kib"), d(v, "login_rss_max_kib")) / 1024;
            double jwksCpuRatio = d(v, "jwks_nginx_cpu_us") / d(v, "jwks_sigil_cpu_us");
            boolean nginxCapped = d(v, "jwks_nginx_loadgen_cpu_pct") >= 90;
            ratios.put("jwks_sigil_to_nginx_rps", jwksRatio);
            ratios.put("jwks_nginx_to_sigil_cpu_per_request", jwksCpuRatio);
            ratios.put("refresh_cpu_to_raw_rs256", refreshRatio);
            ratios.put("login_cpu_to_raw_argon2id", loginRatio);
            ratios.put("login_cpu_to_raw_argon2id_native", loginNativeRatio);
            double grantRatio = d(v, "grant_cpu_us") / d(v, "grant_raw_rs256_accp_cpu_us");
            double introspectCpuMs = d(v, "introspect_cpu_us") / 1e3;
            ratios.put("grant_cpu_to_raw_rs256", grantRatio);
            double exchangeRatio = d(v, "exchange_cpu_us") / d(v, "exchange_raw_rs256_accp_cpu_us");
            ratios.put("exchange_cpu_to_raw_rs256", exchangeRatio);
            double passkeyRaw = d(v, "passkey_raw_rs256_accp_cpu_us") + d(v, "passkey_raw_es256_accp_cpu_us");
            double passkeyRatio = d(v, "passkey_cpu_us") / passkeyRaw;
            ratios.put("passkey_cpu_to_raw_rs256_plus_es256", passkeyRatio);
            double loginToPasskey = d(v, "login_cpu_ms") * 1e3 / d(v, "passkey_cpu_us");
            ratios.put("login_cpu_to_passkey_cpu", loginToPasskey);
            // Known against unknown address: the answer must not tell them apart, nor may the server's load.
            double resetGap = d(v, "reset_known_cpu_us") / d(v, "reset_unknown_cpu_us") - 1;
            ratios.put("reset_known_to_unknown_cpu", resetGap + 1);
            double loginQueued = d(v, "recovery_login_queued_p99_ms") / d(v, "recovery_login_empty_p99_ms");
            ratios.put("login_p99_queued_to_empty", loginQueued);

            List<Row> rows = List.of(
                    new Row("Start-up to ready (server as measured)", f("%.2f s", d(v, "startup_ms") / 1e3), "", null),
                    new Row("Start-up, JDK 25, without AOT cache", f("%.2f s (median of 3)", d(v, "startup_nocache_ms") / 1e3), "", null),
                    new Row("Start-up, JDK 25, with AOT cache", f("%.2f s = %.0f %% of without", d(v, "startup_aot_ms") / 1e3, aotShare * 100),
                            "<= 35 %", aotShare <= 0.35),
                    new Row("Start-up, minimal Quarkus REST+JWT", f("%.2f s; Sigil with cache %.2f x it", d(v, "startup_minimal_ms") / 1e3, aotToMinimal),
                            "<= 1.0 x", aotToMinimal <= 1.0),
                    new Row("RSS idle (after warm-up)", f("%.0f MiB", d(v, "rss_idle_kib") / 1024), "", null),
                    new Row("RSS under load (max, refresh+login)", f("%.0f MiB", rssLoadMib), "<= 256 MiB", rssLoadMib <= 256),
                    new Row("JWKS Sigil, 50 connections", f("%,.0f req/s, p99 %.2f ms", d(v, "jwks_sigil_rps"), d(v, "jwks_sigil_p99_ms")), "", null),
                    new Row("JWKS nginx, same bytes, 50 conn.", f("%,.0f req/s, p99 %.2f ms", d(v, "jwks_nginx_rps"), d(v, "jwks_nginx_p99_ms")), "", null),
                    new Row("  load generator CPU busy (Sigil; nginx)", f("%.0f %%; %.0f %%", d(v, "jwks_sigil_loadgen_cpu_pct"), d(v, "jwks_nginx_loadgen_cpu_pct")), "", null),
                    new Row("JWKS server CPU per request", f("Sigil %.1f us, nginx %.1f us (%.0f %%)", d(v, "jwks_sigil_cpu_us"), d(v, "jwks_nginx_cpu_us"), jwksCpuRatio * 100), "", null),
                    new Row("JWKS Sigil / nginx requests/s", f("%.0f %%", jwksRatio * 100) + (nginxCapped ? " (nginx capped by wrk: overstated)" : ""),
                            ">= 50 %", jwksRatio >= 0.5),
                    new Row(f("Refresh, %s chains", v.get("refresh_sessions")),
                            f("%,.0f rot/s, p50 %.2f ms, p99 %.2f ms", d(v, "refresh_rps"), d(v, "refresh_p50_ms"), d(v, "refresh_p99_ms")), "", null),
                    new Row("Refresh errors", v.get("refresh_errors") + errorKinds(v, "refresh"), "0", d(v, "refresh_errors") == 0),
                    new Row("Refresh server CPU per rotation", f("%.3f ms", refreshCpuMs), "<= 0.55 ms", refreshCpuMs <= 0.55),
                    new Row("  raw RS256 signature, ACCP (JDK)", f("%.3f ms (%.3f ms), before %.3f, after %.3f", d(v, "raw_rs256_accp_cpu_us") / 1e3,
                            d(v, "raw_rs256_jdk_cpu_us") / 1e3, d(v, "before_raw_rs256_accp_cpu_us") / 1e3, d(v, "after_raw_rs256_accp_cpu_us") / 1e3), "", null),
                    new Row("  rotation CPU / raw RS256", f("%.2f x", refreshRatio), "", null),
                    new Row("  Redis CPU per rotation", f("%.3f ms", d(v, "refresh_redis_cpu_us") / 1e3), "", null),
                    new Row("Refresh without / with WAIT (ABBA)", f("%,.0f / %,.0f rot/s, p99 %.1f / %.1f ms, errors %.0f / %.0f",
                            mean(v, "wait_plain1_rps", "wait_plain4_rps"), mean(v, "wait_wait2_rps", "wait_wait3_rps"),
                            Math.max(d(v, "wait_plain1_p99_ms"), d(v, "wait_plain4_p99_ms")), Math.max(d(v, "wait_wait2_p99_ms"), d(v, "wait_wait3_p99_ms")),
                            d(v, "wait_plain1_errors") + d(v, "wait_plain4_errors"), d(v, "wait_wait2_errors") + d(v, "wait_wait3_errors")), "", null),
                    new Row("  CPU per rotation without / with WAIT", f("Sigil %.3f / %.3f ms, Redis %.3f / %.3f ms",
                            mean(v, "wait_plain1_cpu_us", "wait_plain4_cpu_us") / 1e3, mean(v, "wait_wait2_cpu_us", "wait_wait3_cpu_us") / 1e3,
                            mean(v, "wait_plain1_redis_cpu_us", "wait_plain4_redis_cpu_us") / 1e3, mean(v, "wait_wait2_redis_cpu_us", "wait_wait3_redis_cpu_us") / 1e3),
                            "", null),
                    new Row("Redis bytes of one session, after 0; 2,000 rotations", f("%.0f B; %.0f B", d(v, "session_bytes_0"),
                            d(v, "session_bytes_2000")), "<= 1 KiB", Math.max(d(v, "session_bytes_0"), d(v, "session_bytes_2000")) <= 1024),
                    new Row(f("Login, %s concurrent", v.get("login_concurrency")),
                            f("%.1f logins/s, p50 %.0f ms, p99 %.0f ms", d(v, "login_rps"), d(v, "login_p50_ms"), d(v, "login_p99_ms")), "", null),
                    new Row("Login errors", v.get("login_errors") + errorKinds(v, "login"), "", null),
                    new Row("Login server CPU per login", f("%.1f ms", d(v, "login_cpu_ms")), "", null),
                    new Row("  Argon2id implementation of the server", v.getOrDefault("argon2_implementation", "?"), "native", "native".equals(v.get("argon2_implementation"))),
                    new Row("  raw Argon2id, Bouncy Castle (m=19456,t=2,p=1)", f("%.1f ms CPU (before %.1f, after %.1f), %.1f ms wall", d(v, "raw_argon2_cpu_ms"),
                            d(v, "before_raw_argon2_cpu_ms"), d(v, "after_raw_argon2_cpu_ms"), d(v, "raw_argon2_wall_ms")), "", null),
                    new Row("  raw Argon2id, native libargon2", f("%.1f ms CPU (before %.1f, after %.1f), %.1f ms wall", d(v, "raw_argon2_native_cpu_ms"),
                            d(v, "before_raw_argon2_native_cpu_ms"), d(v, "after_raw_argon2_native_cpu_ms"), d(v, "raw_argon2_native_wall_ms")), "", null),
                    new Row("  login CPU / raw Bouncy Castle", f("%.2f x", loginRatio), "<= 0.8 x", loginRatio <= 0.8),
                    new Row("  login CPU / raw native (own hash)", f("%.2f x", loginNativeRatio), "<= 1.25 x", loginNativeRatio <= 1.25),
                    new Row(f("JWKS p99 during login (%s req/s probe)", v.get("jwks_probe_rate")),
                            f("%.2f ms (max %.1f ms, %s errors)", d(v, "jwks_probe_p99_ms"), d(v, "jwks_probe_max_ms"), v.get("jwks_probe_errors")),
                            "<= 25 ms", d(v, "jwks_probe_p99_ms") <= 25 && d(v, "jwks_probe_errors") == 0),
                    new Row(f("Client credentials, %s conn.", v.get("oauth_connections")),
                            f("%,.0f grants/s, p50 %.2f ms, p99 %.2f ms", d(v, "grant_rps"), d(v, "grant_p50_ms"), d(v, "grant_p99_ms")), "", null),
                    new Row("Grant errors", v.get("grant_errors") + errorKinds(v, "grant"), "0", d(v, "grant_errors") == 0),
                    new Row("Grant server CPU per grant", f("%.3f ms (Redis %.3f ms)", d(v, "grant_cpu_us") / 1e3, d(v, "grant_redis_cpu_us") / 1e3), "", null),
                    new Row("  raw RS256 around it, ACCP", f("%.3f ms, before %.3f, after %.3f", d(v, "grant_raw_rs256_accp_cpu_us") / 1e3,
                            d(v, "before_grant_raw_rs256_accp_cpu_us") / 1e3, d(v, "after_grant_raw_rs256_accp_cpu_us") / 1e3), "", null),
                    new Row("  grant CPU / raw RS256", f("%.2f x", grantRatio), "<= 1.5 x", grantRatio <= 1.5),
                    new Row(f("Introspection, %s conn.", v.get("oauth_connections")),
                            f("%,.0f /s, p50 %.2f ms, p99 %.2f ms", d(v, "introspect_rps"), d(v, "introspect_p50_ms"), d(v, "introspect_p99_ms")), "", null),
                    new Row("Introspection errors", v.get("introspect_errors") + errorKinds(v, "introspect"), "0", d(v, "introspect_errors") == 0),
                    new Row("Introspection server CPU each", f("%.3f ms (Redis %.3f ms)", introspectCpuMs, d(v, "introspect_redis_cpu_us") / 1e3),
                            "<= 0.2 ms", introspectCpuMs <= 0.2),
                    new Row(f("Token exchange, %s conn.", v.get("oauth_connections")),
                            f("%,.0f /s, p50 %.2f ms, p99 %.2f ms", d(v, "exchange_rps"), d(v, "exchange_p50_ms"), d(v, "exchange_p99_ms")), "", null),
                    new Row("Exchange errors", v.get("exchange_errors") + errorKinds(v, "exchange"), "0", d(v, "exchange_errors") == 0),
                    new Row("Exchange server CPU each", f("%.3f ms (Redis %.3f ms)", d(v, "exchange_cpu_us") / 1e3, d(v, "exchange_redis_cpu_us") / 1e3), "", null),
                    new Row("  raw RS256 around it, ACCP", f("%.3f ms, before %.3f, after %.3f", d(v, "exchange_raw_rs256_accp_cpu_us") / 1e3,
                            d(v, "before_exchange_raw_rs256_accp_cpu_us") / 1e3, d(v, "after_exchange_raw_rs256_accp_cpu_us") / 1e3), "", null),
                    new Row("  exchange CPU / raw RS256", f("%.2f x", exchangeRatio), "<= 1.6 x", exchangeRatio <= 1.6),
                    new Row(f("Passkey sign-in, %s conn.", v.get("passkey_connections")),
                            f("%,.0f /s, p50 %.2f ms, p99 %.2f ms", d(v, "passkey_rps"), d(v, "passkey_p50_ms"), d(v, "passkey_p99_ms")), "", null),
                    new Row("Passkey sign-in errors", v.get("passkey_errors") + errorKinds(v, "passkey"), "0", d(v, "passkey_errors") == 0),
                    new Row("Passkey sign-in server CPU each", f("%.3f ms (Redis %.3f ms)", d(v, "passkey_cpu_us") / 1e3, d(v, "passkey_redis_cpu_us") / 1e3), "", null),
                    new Row("  raw RS256 + raw ES256 verify, ACCP", f("%.3f ms = %.3f + %.3f (JDK ES256 %.3f)", passkeyRaw / 1e3,
                            d(v, "passkey_raw_rs256_accp_cpu_us") / 1e3, d(v, "passkey_raw_es256_accp_cpu_us") / 1e3,
                            d(v, "passkey_raw_es256_jdk_cpu_us") / 1e3), "", null),
                    new Row("  passkey CPU / raw RS256 + ES256", f("%.2f x", passkeyRatio), "<= 2 x", passkeyRatio <= 2),
                    new Row("  password login CPU / passkey CPU", f("%.0f x", loginToPasskey), "", null),
                    new Row(f("Relay to a local SMTP sink, %s mails", v.get("relay_mails")), f("%,.0f mails/s, server CPU %.0f us per mail",
                            d(v, "relay_mails_per_s"), d(v, "relay_cpu_us")), ">= 200/s", d(v, "relay_mails_per_s") >= 200),
                    new Row(f("POST /password-reset at %s/s", v.get("reset_rate")), f("%,.0f / %,.0f req/s, %s errors (known / unknown)",
                            d(v, "reset_known_rps"), d(v, "reset_unknown_rps"), v.get("reset_errors")), "", null),
                    new Row("  server CPU, known / unknown address", f("%.0f / %.0f us (%+.1f %%)", d(v, "reset_known_cpu_us"),
                            d(v, "reset_unknown_cpu_us"), resetGap * 100), "within 10 %", Math.abs(resetGap) <= 0.10),
                    new Row("  CPU per turn, us (KUUKKUUK)", v.getOrDefault("reset_turns_cpu_us", "?"), "", null),
                    new Row(f("Login p99, outbox empty / %s queued", v.get("recovery_login_queued")), f("%.1f / %.1f ms (p50 %.1f / %.1f ms), sequential",
                            d(v, "recovery_login_empty_p99_ms"), d(v, "recovery_login_queued_p99_ms"), d(v, "recovery_login_empty_p50_ms"),
                            d(v, "recovery_login_queued_p50_ms")), "<= 1.2 x", loginQueued <= 1.2));

            StringBuilder out = new StringBuilder();
            out.append("Sigil benchmark, ").append(v.get("date")).append('\n');
            out.append("machine: ").append(v.get("machine")).append('\n');
            out.append("placement: ").append(v.get("placement")).append('\n');
            out.append("server JVM: ").append(v.get("server_jvm")).append("; start-up rounds (ms): ").append(v.get("startup_rounds")).append('\n');
            out.append("load generator CPU (% of one core): refresh ").append(v.get("refresh_generator_cpu_pct"))
                    .append(", login ").append(v.get("login_generator_cpu_pct")).append("\n\n");
            String fmt = "%-40s %-58s %-11s %s%n";
            out.append(String.format(fmt, "Figure", "Measured", "Target", ""));
            for (Row r : rows) {
                out.append(String.format(fmt, r.figure, r.value, r.target, r.met == null ? "" : r.met ? "met" : "SHORT"));
            }
            System.out.print(out);

            StringBuilder j = new StringBuilder("{\n  \"date\": ").append(q(v.get("date")))
                    .append(",\n  \"machine\": ").append(q(v.get("machine")))
                    .append(",\n  \"placement\": ").append(q(v.get("placement")))
                    .append(",\n  \"figures\": {");
            String sep = "\n";
            for (Map.Entry<String, String> e : v.entrySet()) {
                if (!List.of("date", "machine", "placement").contains(e.getKey())) {
                    j.append(sep).append("    ").append(q(e.getKey())).append(": ").append(jsonValue(e.getValue()));
                    sep = ",\n";
                }
            }
            j.append("\n  },\n  \"ratios\": {");
            sep = "\n";
            for (Map.Entry<String, Double> e : ratios.entrySet()) {
                j.append(sep).append("    ").append(q(e.getKey())).append(": ").append(f("%.3f", e.getValue()));
                sep = ",\n";
            }
            j.append("\n  },\n  \"targets\": [");
            sep = "\n";
            for (Row r : rows) {
                if (r.met != null) {
                    j.append(sep).append("    {\"figure\": ").append(q(r.figure.trim())).append(", \"measured\": ").append(q(r.value))
                            .append(", \"target\": ").append(q(r.target)).append(", \"met\": ").append(r.met).append('}');
                    sep = ",\n";
                }
            }
            j.append("\n  ]\n}\n");
            Files.createDirectories(json.toAbsolutePath().getParent());
            Files.writeString(json, j);
        }

        static String errorKinds(Map<String, String> v, String prefix) {
            String kinds = v.get(prefix + "_error_kinds");
            return kinds == null || kinds.equals("none") ? "" : " " + kinds;
        }

        /** The mean of two turns of one instance (the wait phase's ABBA). */
        static double mean(Map<String, String> v, String first, String second) {
            return (d(v, first) + d(v, second)) / 2;
        }

        static double d(Map<String, String> v, String key) {
            String s = v.get(key);
            return s == null ? Double.NaN : Double.parseDouble(s);
        }

        static String f(String format, Object... args) {
            return String.format(Locale.ROOT, format, args);
        }

        static String jsonValue(String s) {
            try {
                double d = Double.parseDouble(s);
                return Double.isFinite(d) ? s : "null";
            } catch (NumberFormatException e) {
                return q(s);
            }
        }

        static String q(String s) {
            return s == null ? "null" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }

    /** {@code key=value} arguments. */
    static final class Opts {
        final Map<String, String> values = new LinkedHashMap<>();

        Opts(String[] args) {
            for (int i = 1; i < args.length; i++) {
                int eq = args[i].indexOf('=');
                values.put(args[i].substring(0, eq), args[i].substring(eq + 1));
            }
        }

        String str(String key) {
            String v = values.get(key);
            if (v == null) {
                throw new IllegalArgumentException("missing " + key + "=");
            }
            return v;
        }

        int num(String key) {
            return Integer.parseInt(str(key));
        }
    }
}
