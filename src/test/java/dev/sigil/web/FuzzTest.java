package dev.sigil.web;

import dev.sigil.support.Api;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestRedis;
import dev.sigil.support.TestUsers;
import dev.sigil.support.TestUsers.TestUser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * A seeded, reproducible corpus of hostile requests against every endpoint: malformed and deeply nested
 * JSON, bodies around the 16 KiB limit, NUL bytes, invalid UTF-8, wrong types, extra fields, garbage
 * cookies and Authorization headers, odd content types, charsets, methods and path parameters. Every
 * answer must be an expected 4xx (a 2xx only where the request is legitimately valid), never a 5xx, and
 * problem+json with a {@code code} whenever an error carries a body. Afterwards PostgreSQL and Redis must
 * hold exactly what they held before: fuzzing creates no user and no session state.
 */
@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class FuzzTest {

    private static final long SEED = 0x5161_1L;
    private static final int LIMIT = 16 * 1024;
    private static final String JSON_TYPE = "Content-Type: application/json";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{3,64}");
    private static final Pattern USER_KEY = Pattern.compile("^sigil:\\{([0-9a-f-]{36})}:");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** One request of the corpus and the statuses it may legitimately get. */
    record Case(String label, String method, String target, List<String> headers, byte[] body, boolean chunked,
                Set<Integer> allowed, boolean malformedHttp) {
    }

    private final Random random = new Random(SEED);
    private final List<Case> corpus = new ArrayList<>();
    /** Every user id the corpus names (paths, forged refresh tokens): none may get Redis state. */
    private final Set<UUID> named = new HashSet<>();

    private TestUser admin;
    private TestUser member;
    private String adminAuth;
    private String memberAuth;
    private String memberSid;

    @Test
    void fuzzedRequestsAreRefusedCleanlyAndLeaveNoTrace() throws Exception {
        admin = TestUsers.create("admin");
        member = TestUsers.create();
        adminAuth = "Authorization: Bearer " + Api.accessToken(Api.loggedIn(admin));
        Response memberLogin = Api.loggedIn(member);
        memberAuth = "Authorization: Bearer " + Api.accessToken(memberLogin);
        memberSid = sidOf(Api.refreshCookie(memberLogin));

        buildCorpus();
        String dbBefore = databaseChecksum();
        Map<String, String> redisBefore = redisStateOf(admin.id(), member.id());

        RawHttp http = new RawHttp("localhost", RestAssured.port);
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        int serverErrors = 0;
        for (Case c : corpus) {
            RawHttp.Answer a;
            try {
                a = http.send(c.method(), c.target(), c.headers(), c.body(), c.chunked());
            } catch (Exception e) {
                failures.add(c.label() + ": no answer (" + e + ")");
                continue;
            }
            statuses.merge(a.status(), 1, Integer::sum);
            if (a.status() >= 500) {
                serverErrors++;
            }
            String problem = check(c, a);
            if (problem != null) {
                failures.add(c.label() + ": " + problem);
            }
        }
        System.out.printf("FUZZ seed=%d cases=%d 5xx=%d statuses=%s%n", SEED, corpus.size(), serverErrors, statuses);

        assertThat(corpus).as("corpus size").hasSizeGreaterThanOrEqualTo(1000);
        assertThat(failures).as("unexpected answers").isEmpty();
        assertThat(serverErrors).as("5xx answers").isZero();
        assertThat(databaseChecksum()).as("sigil.users after fuzzing").isEqualTo(dbBefore);
        assertThat(redisStateOf(admin.id(), member.id())).as("Redis state of the test's users").isEqualTo(redisBefore);
        assertThat(usersWithRedisState()).as("Redis keys of user ids the corpus named").doesNotContainAnyElementsOf(named);
    }

    // ---- what the corpus found, pinned one behaviour each --------------------------------------------

    @Test
    void aNulInTheLoginUsernameIsAnUnknownUserNotAServerError() {
        // A fresh name each run: failures of a fixed name would add up in the throttle across runs.
        given().contentType("application/json")
                .body("{\"username\":\"" + TestUsers.uniqueName("nul") + "\\u0000b\",\"password\":\"whatever it is\"}").post("/login")
                .then().statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("invalid_credentials"));
    }

    @Test
    void aNulInTheUsernameFilterIsRefused() {
        String token = Api.accessToken(Api.loggedIn(TestUsers.create("admin")));
        given().auth().oauth2(token).queryParam("username", "a\u0000").get("/admin/users")
                .then().statusCode(400).body("code", equalTo("validation_failed"));
    }

    @Test
    void aPageWhoseOffsetOverflowsIsRefused() {
        String token = Api.accessToken(Api.loggedIn(TestUsers.create("admin")));
        given().auth().oauth2(token).get("/admin/users?page=2147483647&size=100")
                .then().statusCode(400).body("code", equalTo("validation_failed"));
    }

    @Test
    void aClientPageWhoseOffsetOverflowsIsRefusedLikeAUserPage() {
        String token = Api.accessToken(Api.loggedIn(TestUsers.create("admin")));
        given().auth().oauth2(token).get("/admin/clients?page=2147483647&size=100")
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("validation_failed"));
        given().auth().oauth2(token).get("/admin/clients?page=-1")
                .then().statusCode(400).body("code", equalTo("validation_failed"));
    }

    /** RFC 6749 section 5.2, RFC 7009 section 2.2.1: a form that does not decode is the caller's error, not a bug. */
    @ParameterizedTest
    @CsvSource({"/oauth2/revoke, token=%zz", "/oauth2/introspect, token=%zz", "/oauth2/token, grant_type=client_credentials&scope=%G0",
            "/oauth2/revoke, token=abc%", "/oauth2/token, scope=%G0", "/oauth2/introspect, token=abc%",
            "/oauth2/revoke, token=a%2", "/oauth2/token, %zz=x"})
    void aBrokenPercentEncodingOnTheOAuthEndpointsIsInvalidRequestAndLogsNoError(String path, String body) {
        List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()) {
                    errors.add(r.getLoggerName() + ": " + r.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(capture);
        try {
            given().contentType("application/x-www-form-urlencoded").body(body).post(path)
                    .then().statusCode(400).contentType("application/json").header("Cache-Control", "no-store")
                    .body("error", equalTo("invalid_request"));
        } finally {
            root.removeHandler(capture);
        }
        assertThat(errors).isEmpty();
    }

    @Test
    void aNulInACustomClaimIsRefusedAndChangesNothing() throws Exception {
        String token = Api.accessToken(Api.loggedIn(TestUsers.create("admin")));
        TestUser target = TestUsers.create();
        String before = databaseChecksum();
        given().auth().oauth2(token).contentType("application/json")
                .body("{\"claims\":{\"org\":[\"a\\u0000b\"]}}").patch("/admin/users/" + target.id())
                .then().statusCode(400).body("code", equalTo("validation_failed"));
        assertThat(databaseChecksum()).isEqualTo(before);
    }

    /** Null when the answer is acceptable, else what is wrong with it. */
    private static String check(Case c, RawHttp.Answer a) {
        String body = a.text();
        if (!c.allowed().contains(a.status())) {
            return "status " + a.status() + " not in " + c.allowed() + " body=" + clip(body);
        }
        if (body.contains("Exception") || body.contains("\tat ") || body.contains("dev.sigil")) {
            return "internals in the body: " + clip(body);
        }
        if (a.status() < 400 || c.method().equals("HEAD")) {
            return null;
        }
        if (a.body().length == 0) {
            // Refused by Vert.x or the Quarkus CORS filter before any resource runs: no body to check.
            boolean frameworkLimit = a.status() == 413 || a.status() == 414 || a.status() == 431;
            boolean corsRefusal = a.status() == 403 && c.headers().stream().anyMatch(h -> h.startsWith("Origin:"));
            return frameworkLimit || corsRefusal || c.malformedHttp() ? null : "error " + a.status() + " without a body";
        }
        String type = a.header("Content-Type");
        if (type == null || !type.startsWith("application/problem+json")) {
            return "error " + a.status() + " as " + type + ": " + clip(body);
        }
        try {
            JsonNode code = MAPPER.readTree(a.body()).get("code");
            return code != null && code.isTextual() && !code.asText().isBlank() ? null : "problem without code: " + clip(body);
        } catch (Exception e) {
            return "unreadable problem: " + clip(body);
        }
    }

    // ---- the corpus --------------------------------------------------------------------------------

    private void buildCorpus() throws Exception {
        bodies("login", "POST", "/login", null, fields("username", "nobody-" + random.nextInt(1_000_000), "password", "not the password"),
                false, Set.of(400, 401, 413, 415, 429));
        bodies("register", "POST", "/users", null,
                fields("username", "not a valid name!", "password", "correct horse battery", "email", "fuzz@example.com"),
                true, Set.of(400, 413, 415));
        bodies("admin-create", "POST", "/admin/users", adminAuth,
                fields("username", "not a valid name!", "password", "correct horse battery", "email", "fuzz@example.com",
                        "roles", List.of("admin"), "claims", Map.of("org", "acme"), "enabled", true),
                true, Set.of(400, 413, 415));
        bodies("admin-patch", "PATCH", "/admin/users/" + unknownUser(), adminAuth,
                fields("email", "fuzz@example.com", "roles", List.of("admin"), "claims", Map.of("org", "acme"), "enabled", false),
                false, Set.of(400, 404, 413, 415));
        bodies("admin-reset", "POST", "/admin/users/" + unknownUser() + "/password", adminAuth,
                fields("password", "correct horse battery"), false, Set.of(400, 404, 413, 415));
        bodies("me-password", "PUT", "/me/password", memberAuth,
                fields("current_password", "not the password", "new_password", "an acceptable new one"),
                false, Set.of(400, 403, 413, 415, 429)); // wrong current passwords lock like failed logins
        bodies("refresh", "POST", "/refresh-token", null, fields("refresh_token", forgedRefresh(unknownUser(), randomBytes(16))),
                false, Set.of(401, 413));
        bodies("logout", "DELETE", "/refresh-token", null, fields("refresh_token", forgedRefresh(unknownUser(), randomBytes(16))),
                false, Set.of(204, 413));
        authorizationHeaders();
        cookies();
        pathParameters();
        methods();
        wellKnown();
        adminQueries();
    }

    private static Map<String, Object> fields(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static final String[] MALFORMED = {
        "", " ", "{", "}", "[", "]", "{}", "[]", "null", "true", "0", "-1", "1e999", "\"text\"", "{,}", "{\"a\" 1}",
        "{'username':'x','password':'y'}", "{username:\"x\"}", "{\"username\":}", "{\"username\":\"x\",}", "{} {}",
        "{}x", "/* c */{}", "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":01}", "{\"a\":\"\\x41\"}", "{\"a\":\"\\uD800\"}",
        "\uFEFF{}", "{\"a\":\"unterminated}", "[{\"username\":\"x\",\"password\":\"y\"}]", "{\"\":\"\"}", "\n\n\n",
    };

    private static final Object[] WRONG_TYPES = {
        1, -1, 1.5, new BigInteger("1" + "0".repeat(400)), true, false, List.of(), List.of("a", 1), Map.of(), Map.of("$ne", ""),
        Map.of("k", "a\u0000b"), List.of("\u0000"),
    };

    private static final byte[][] INVALID_UTF8 = {
        {(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xFE, (byte) 0xFF}, {(byte) 0xC0, (byte) 0xAF},
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
    };

    private static final String[] ODD_STRINGS = {
        "x".repeat(65), "x".repeat(1025), "y".repeat(12_000), "😀".repeat(40), "\u202Eadmin", "a\u0301\u0301\u0301",
        "\uFEFFadmin", " ", "", "\t\r\n", "${jndi:ldap://127.0.0.1/x}", "' OR 1=1 --", "<script>", "%00", "\\u0000", "\uD800x",
    };

    private static final String[] ODD_CONTENT_TYPES = {
        null, "Content-Type:", "Content-Type: text/plain", "Content-Type: application/x-www-form-urlencoded",
        "Content-Type: multipart/form-data", "Content-Type: multipart/form-data; boundary=x", "Content-Type: application/xml",
        "Content-Type: application/json; charset=bogus", "Content-Type: application/json; charset=utf-16",
        "Content-Type: application/json; charset=UTF-32BE", "Content-Type: application/json; charset=iso-8859-1",
        "Content-Type: application/json; charset=", "Content-Type: application/json;;;", "Content-Type: application/JSON",
        "Content-Type: application/json, text/plain", "Content-Type: application/problem+json",
        "Content-Type: application/merge-patch+json", "Content-Type: */*", "Content-Type: application/*",
        "Content-Type: ;", "Content-Type: application/json; boundary=\"", "Content-Type: " + "a/" + "b".repeat(2000),
    };

    /** Hostile bodies for one endpoint, derived from a well-shaped {@code base}; {@code creates} endpoints get only invalid ones. */
    private void bodies(String name, String method, String target, String auth, Map<String, Object> base, boolean creates,
                        Set<Integer> allowed) throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        for (String m : MALFORMED) {
            bodies.add(utf8(m));
        }
        String first = base.keySet().iterator().next();
        bodies.add(utf8("[".repeat(10_000) + "]".repeat(10_000)));
        bodies.add(utf8("[".repeat(10_000)));
        bodies.add(utf8("[".repeat(6_000) + "]".repeat(6_000)));
        bodies.add(utf8("{\"a\":".repeat(2_500) + "1" + "}".repeat(2_500)));
        bodies.add(utf8("{\"" + first + "\":" + "[".repeat(3_000) + "]".repeat(3_000) + "}"));
        bodies.add(utf8("{\"" + first + "\":" + "{\"a\":".repeat(1_500) + "1" + "}".repeat(1_500) + "}"));
        for (int size : new int[] {LIMIT - 1, LIMIT, LIMIT + 1, LIMIT + 1000, 64 * 1024}) {
            bodies.add(sized(base, size));
        }
        for (String field : base.keySet()) {
            for (Object wrong : WRONG_TYPES) {
                bodies.add(json(with(base, field, wrong)));
            }
            Map<String, Object> missing = new LinkedHashMap<>(base);
            missing.remove(field);
            bodies.add(json(missing));
            bodies.add(json(with(base, field, null)));
        }
        for (String field : stringFields(base)) {
            bodies.add(json(with(base, field, "a\u0000b")));
            bodies.add(splice(base, field, new byte[] {'a', 0, 'b'}));
            for (byte[] bad : INVALID_UTF8) {
                bodies.add(splice(base, field, bad));
            }
            for (String odd : ODD_STRINGS) {
                bodies.add(json(with(base, field, odd)));
            }
        }
        bodies.add(json(with(base, "admin", true)));
        bodies.add(json(with(base, "roles", List.of("admin"))));
        bodies.add(json(with(base, "id", UUID.randomUUID().toString())));
        bodies.add(json(with(base, "__proto__", Map.of("admin", true))));
        bodies.add(json(with(base, "x".repeat(200), "y")));
        String raw = new String(json(base), StandardCharsets.UTF_8);
        bodies.add(utf8(raw.replaceFirst("\\{", "{\"" + first + "\":\"dup\",")));
        bodies.add(utf8(raw + raw));
        for (int i = 0; i < 10; i++) {
            bodies.add(randomBytes(random.nextInt(300)));
        }
        for (int i = 0; i < 40; i++) {
            bodies.add(mutate(json(base)));
        }

        for (byte[] b : bodies) {
            if (!creates || cannotCreate(b)) {
                add(name + " body", method, target, headers(auth, JSON_TYPE), b, false, allowed, false);
            }
        }
        for (String type : ODD_CONTENT_TYPES) {
            add(name + " type " + clip(String.valueOf(type)), method, target, headers(auth, type), json(base), false,
                    union(allowed, 400, 415), false);
        }
        add(name + " NUL in content type", method, target, headers(auth, "Content-Type: application/json\u0000x"), json(base), false,
                union(allowed, 400), true);
        add(name + " chunked small", method, target, headers(auth, JSON_TYPE), json(base), true, allowed, false);
        add(name + " chunked over limit", method, target, headers(auth, JSON_TYPE), sized(base, 3 * LIMIT), true, allowed, false);
    }

    private static Set<String> stringFields(Map<String, Object> base) {
        Set<String> out = new TreeSet<>();
        base.forEach((k, v) -> {
            if (v instanceof String) {
                out.add(k);
            }
        });
        return out;
    }

    /** True when no lenient reading of {@code body} yields a username that could be registered. */
    private static boolean cannotCreate(byte[] body) {
        try {
            JsonNode n = new ObjectMapper().readTree(body);
            JsonNode u = n == null ? null : n.get("username");
            return u == null || !u.isTextual() || !USERNAME.matcher(u.asText()).matches();
        } catch (Exception e) {
            return true;
        }
    }

    private void authorizationHeaders() throws Exception {
        UUID someone = unknownUser();
        String[][] endpoints = {
            {"GET", "/me", null}, {"GET", "/sessions", null}, {"DELETE", "/sessions", null}, {"DELETE", "/sessions/abc", null},
            {"PUT", "/me/password", "{\"current_password\":\"x\",\"new_password\":\"yyyyyyyyyy\"}"},
            {"GET", "/admin/users", null}, {"GET", "/admin/users/" + someone, null},
            {"PATCH", "/admin/users/" + someone, "{\"enabled\":false}"},
            {"POST", "/admin/users/" + someone + "/password", "{\"password\":\"correct horse battery\"}"},
            {"DELETE", "/admin/users/" + someone, null},
            {"POST", "/admin/users", "{\"username\":\"not valid!\",\"password\":\"x\"}"},
        };
        String junk = randomToken(8 * 1024);
        List<String> values = List.of("Authorization:", "Authorization: Bearer", "Authorization: Bearer ", "Authorization: Bearer   ",
                "Authorization: Basic dXNlcjpwYXNz", "Authorization: Token abc", "Authorization: Negotiate YII=",
                "Authorization: Digest username=\"x\"", "Authorization: Bearer null", "Authorization: Bearer undefined",
                "Authorization: Bearer a b c", "Authorization: Bearer \tx", "Authorization: Bearer ...",
                "Authorization: Bearer eyJhbGciOiJub25lIn0.e30.", "Authorization: Bearer %00",
                "Authorization: Bearer " + junk, "Authorization: Bearer " + junk.replace('a', '.'),
                "Authorization: Bearer \u00ff\u00fe\u00e9", "Authorization: Bearer " + randomToken(40) + "." + randomToken(40) + "." + randomToken(40),
                "Authorization: bearer " + randomToken(30), "Authorization: Bearer " + B64.encodeToString(randomBytes(64)));
        for (String[] e : endpoints) {
            byte[] body = e[2] == null ? null : utf8(e[2]);
            for (String v : values) {
                add("auth " + e[0] + " " + e[1] + " " + clip(v), e[0], e[1], headers(v, body == null ? null : JSON_TYPE), body, false,
                        Set.of(401), false);
            }
            add("auth twice " + e[1], e[0], e[1], headers("Authorization: Bearer x", "Authorization: Bearer y",
                    body == null ? null : JSON_TYPE), body, false, Set.of(400, 401), false);
            add("auth huge " + e[1], e[0], e[1], headers("Authorization: Bearer " + randomToken(30 * 1024),
                    body == null ? null : JSON_TYPE), body, false, Set.of(431), false);
            add("auth NUL " + e[1], e[0], e[1], headers("Authorization: Bearer a\u0000b", body == null ? null : JSON_TYPE), body, false,
                    Set.of(400, 401), true);
            add("auth CR " + e[1], e[0], e[1], headers("Authorization: Bearer a\rb", body == null ? null : JSON_TYPE), body, false,
                    Set.of(400, 401), true);
            add("refresh cookie as bearer credential " + e[1], e[0], e[1],
                    headers("Cookie: " + Api.COOKIE + "=" + forgedRefresh(member.id(), randomBytes(16)), body == null ? null : JSON_TYPE),
                    body, false, Set.of(401), false);
            if (e[1].startsWith("/admin")) {
                add("member on admin " + e[0] + " " + e[1], e[0], e[1], headers(memberAuth, body == null ? null : JSON_TYPE), body, false,
                        Set.of(403), false);
            }
        }
    }

    private void cookies() throws Exception {
        String c = "Cookie: " + Api.COOKIE + "=";
        List<String> values = new ArrayList<>(List.of("Cookie:", c, c + "x", c + randomToken(87), c + randomToken(86) + "=",
                c + forgedRefresh(unknownUser(), randomBytes(16)), c + forgedRefresh(member.id(), randomBytes(16)),
                c + forgedRefresh(member.id(), Base64.getUrlDecoder().decode(memberSid)),
                c + "\"" + forgedRefresh(unknownUser(), randomBytes(16)) + "\"",
                c + forgedRefresh(unknownUser(), randomBytes(16)).replace('-', '+').replace('_', '/'),
                c + "=====", c + "a,b", c + "%00", c + "\u00ff\u00fe", c + randomToken(8 * 1024), c + ";;;;",
                "Cookie: __Host-refresh_token=" + randomToken(87), "Cookie: " + Api.COOKIE.toLowerCase() + "=" + randomToken(87),
                "Cookie: =" + randomToken(87), "Cookie: a=b; c=d; e"));
        for (String v : values) {
            add("refresh cookie " + clip(v), "POST", "/refresh-token", headers(v), null, false, Set.of(401), false);
            add("logout cookie " + clip(v), "DELETE", "/refresh-token", headers(v), null, false, Set.of(204), false);
        }
        // More than one refresh cookie (a name with blanks before "=" counts as the name): 401 for logout too.
        List<String> repeated = List.of(c + "a; " + Api.COOKIE + "=b", c + forgedRefresh(unknownUser(), randomBytes(16)) + "; " + Api.COOKIE + "="
                        + forgedRefresh(member.id(), Base64.getUrlDecoder().decode(memberSid)),
                "Cookie: " + (Api.COOKIE + "=x; ").repeat(200), c + "a, " + Api.COOKIE + "=b");
        for (String v : repeated) {
            add("refresh cookie repeated " + clip(v), "POST", "/refresh-token", headers(v), null, false, Set.of(401), false);
            add("logout cookie repeated " + clip(v), "DELETE", "/refresh-token", headers(v), null, false, Set.of(401), false);
        }
        String spaced = "Cookie: " + Api.COOKIE + " =" + randomToken(87);
        add("refresh cookie " + clip(spaced), "POST", "/refresh-token", headers(spaced), null, false, Set.of(401), false);
        add("logout cookie " + clip(spaced), "DELETE", "/refresh-token", headers(spaced), null, false, Set.of(204), false);
        add("refresh cookie huge", "POST", "/refresh-token", headers(c + randomToken(30 * 1024)), null, false, Set.of(431), false);
        add("logout cookie huge", "DELETE", "/refresh-token", headers(c + randomToken(30 * 1024)), null, false, Set.of(431), false);
        add("refresh cookie NUL", "POST", "/refresh-token", headers(c + "a\u0000b"), null, false, Set.of(400, 401), true);
        add("logout cookie NUL", "DELETE", "/refresh-token", headers(c + "a\u0000b"), null, false, Set.of(400, 204), true);
        for (String h : List.of("Origin: https://evil.example", "Origin: null", "Origin: \u00ff", "Origin: " + "o".repeat(5000),
                "Referer: https://evil.example/page", "Referer: ::::", "Sec-Fetch-Site: cross-site", "Sec-Fetch-Site: CROSS-SITE")) {
            add("refresh cross-site " + clip(h), "POST", "/refresh-token", headers(h, c + randomToken(87)), null, false, Set.of(403), false);
            add("logout cross-site " + clip(h), "DELETE", "/refresh-token", headers(h, c + randomToken(87)), null, false, Set.of(403), false);
            add("login cross-site " + clip(h), "POST", "/login", headers(h, JSON_TYPE),
                    utf8("{\"username\":\"nobody\",\"password\":\"x\"}"), false, Set.of(403), false);
        }
    }

    private static final String[] ODD_IDS = {
        "..", "%2e%2e", "%2F", "a%2Fb", "%00", "%FF", "%C0%AF", "%F0%9F%98%80", "%27%20OR%201%3D1%20--", "x".repeat(300),
        "null", "-1", "0", "00000000-0000-0000-0000-000000000000", "%7Bid%7D", "x;a=b", "*", "~",
        "%0d%0a", "..%2f..%2fetc%2fpasswd", "%5c..%5c", "a%20b", "%E2%80%AE", "00000000-0000-0000-0000-00000000000g",
    };

    /** Not valid in a request target at all (RFC 3986): refused by the HTTP layer, possibly without a body. */
    private static final String[] INVALID_URI_IDS = {"{id}", "%", "%zz", "%u0000"};

    private void pathParameters() throws Exception {
        List<String> ids = new ArrayList<>(List.of(ODD_IDS));
        ids.add(unknownUser().toString());
        ids.add(unknownUser().toString().toUpperCase());
        ids.add(unknownUser() + "x");
        ids.addAll(List.of(INVALID_URI_IDS));
        for (String id : ids) {
            boolean invalid = List.of(INVALID_URI_IDS).contains(id);
            add("session id " + clip(id), "DELETE", "/sessions/" + id, headers(memberAuth), null, false, Set.of(400, 404, 405), invalid);
            add("admin get " + clip(id), "GET", "/admin/users/" + id, headers(adminAuth), null, false, Set.of(400, 404, 405), invalid);
            add("admin delete " + clip(id), "DELETE", "/admin/users/" + id, headers(adminAuth), null, false, Set.of(400, 404, 405), invalid);
            add("admin patch " + clip(id), "PATCH", "/admin/users/" + id, headers(adminAuth, JSON_TYPE),
                    utf8("{\"email\":null}"), false, Set.of(400, 404, 405), invalid);
            add("admin reset " + clip(id), "POST", "/admin/users/" + id + "/password", headers(adminAuth, JSON_TYPE),
                    utf8("{\"password\":\"correct horse battery\"}"), false, Set.of(400, 404, 405), invalid);
            add("well-known " + clip(id), "GET", "/.well-known/" + id, headers(), null, false, Set.of(400, 404, 405), invalid);
        }
        // Values PostgreSQL cannot store, on an existing user: refused as invalid, nothing changes.
        for (String body : List.of("{\"claims\":{\"k\":\"a\\u0000b\"}}", "{\"claims\":{\"k\":[{\"n\":\"\\u0000\"}]}}",
                "{\"claims\":{\"a\\u0000\":\"b\"}}", "{\"email\":\"a\\u0000@example.com\"}", "{\"roles\":[\"\\u0000\"]}")) {
            add("admin patch NUL " + clip(body), "PATCH", "/admin/users/" + member.id(), headers(adminAuth, JSON_TYPE), utf8(body),
                    false, Set.of(400), false);
        }
        for (String target : List.of("/sessions/" + "x".repeat(9000), "/admin/users/" + "x".repeat(9000))) {
            add("path too long", "DELETE", target, headers(adminAuth), null, false, Set.of(414), false);
        }
        for (String target : List.of("/sessions/a b", "/admin/users/a\u0000b", "/me\u00ff", "sessions", "//", "/admin/users/#x")) {
            add("malformed target " + clip(target), "GET", target, headers(memberAuth), null, false, Set.of(400, 401, 403, 404, 405), true);
        }
    }

    private void methods() throws Exception {
        String[][] wrong = {
            {"GET", "/login"}, {"PUT", "/login"}, {"DELETE", "/login"}, {"GET", "/users"}, {"DELETE", "/users"},
            {"GET", "/refresh-token"}, {"PUT", "/refresh-token"}, {"PATCH", "/refresh-token"}, {"POST", "/me"}, {"DELETE", "/me"},
            {"GET", "/me/password"}, {"POST", "/sessions"}, {"PUT", "/sessions/abc"}, {"PUT", "/admin/users"},
            {"POST", "/.well-known/jwks.json"}, {"DELETE", "/.well-known/openid-configuration"}, {"TRACE", "/login"},
            {"FOO", "/me"}, {"PROPFIND", "/admin/users"},
        };
        for (String[] w : wrong) {
            add("method " + w[0] + " " + w[1], w[0], w[1], headers(), null, false, Set.of(401, 404, 405), false);
            add("method with member " + w[0] + " " + w[1], w[0], w[1], headers(memberAuth), null, false, Set.of(403, 404, 405), false);
        }
        for (String path : List.of("/login", "/refresh-token", "/me", "/sessions", "/admin/users", "/.well-known/jwks.json")) {
            add("OPTIONS " + path, "OPTIONS", path, headers(), null, false, Set.of(200, 204, 401, 405), false);
        }
        add("HEAD /me", "HEAD", "/me", headers(), null, false, Set.of(401, 405), false);
        add("HEAD jwks", "HEAD", "/.well-known/jwks.json", headers(), null, false, Set.of(200, 405), false);
    }

    private void wellKnown() throws Exception {
        List<String> extra = List.of("If-None-Match: garbage", "If-None-Match: *", "If-None-Match: W/\"x\"",
                "If-None-Match: " + "\"e\",".repeat(500), "Accept: text/html", "Accept: application/xml", "Accept: ;;;",
                "Accept: */*", "Accept: application/json;q=abc", "Accept-Encoding: gzip, deflate, br, x-unknown",
                "Authorization: Bearer garbage", "Cookie: " + Api.COOKIE + "=garbage",
                "Accept-Charset: utf-7", "If-Modified-Since: yesterday", "Range: bytes=0-5");
        for (String path : List.of("/.well-known/jwks.json", "/.well-known/openid-configuration")) {
            for (String h : extra) {
                add("well-known " + path + " " + clip(h), "GET", path, headers(h), null, false, Set.of(200, 304, 406), false);
            }
            // Public documents: readable from any origin (CrossOriginPolicy).
            add("well-known foreign origin " + path, "GET", path, headers("Origin: https://evil.example"), null, false,
                    Set.of(200), false);
            add("well-known query " + path, "GET", path + "?x=%00&y=" + "z".repeat(2000), headers(), null, false, Set.of(200), false);
        }
    }

    private void adminQueries() throws Exception {
        List<String> queries = List.of("page=-1", "page=abc", "page=99999999999", "size=0", "size=101", "size=-5", "size=1e3",
                "username=" + "u".repeat(65), "username=%00", "username=%25", "username=_", "username=!", "username=%FF",
                "page=0&page=1", "size=", "username=%27%20OR%201%3D1%20--", "page=2147483647&size=100", "username=" + "%E2%80%AE");
        for (String q : queries) {
            add("admin list " + clip(q), "GET", "/admin/users?" + q, headers(adminAuth), null, false, Set.of(200, 400, 404), false);
            add("admin client list " + clip(q), "GET", "/admin/clients?" + q, headers(adminAuth), null, false, Set.of(200, 400, 404), false);
        }
    }

    private void add(String label, String method, String target, List<String> headers, byte[] body, boolean chunked,
                     Set<Integer> allowed, boolean malformedHttp) {
        corpus.add(new Case("#" + corpus.size() + " " + label, method, target, headers, body, chunked, allowed, malformedHttp));
    }

    private static List<String> headers(String... lines) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            if (l != null) {
                out.add(l);
            }
        }
        return out;
    }

    private static Set<Integer> union(Set<Integer> a, Integer... more) {
        Set<Integer> out = new TreeSet<>(a);
        out.addAll(List.of(more));
        return out;
    }

    // ---- body building -----------------------------------------------------------------------------

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] json(Object o) throws Exception {
        return MAPPER.writeValueAsBytes(o);
    }

    private static Map<String, Object> with(Map<String, Object> base, String field, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(base);
        m.put(field, value);
        return m;
    }

    /** The base body with its first string field padded so the whole body is exactly {@code size} bytes. */
    private static byte[] sized(Map<String, Object> base, int size) throws Exception {
        String field = stringFields(base).iterator().next();
        int without = json(with(base, field, "")).length;
        return json(with(base, field, "p".repeat(size - without)));
    }

    /** The base body with {@code raw} bytes (not JSON-escaped) as the value of {@code field}. */
    private static byte[] splice(Map<String, Object> base, String field, byte[] raw) throws Exception {
        byte[] marked = json(with(base, field, "@@SPLICE@@"));
        String s = new String(marked, StandardCharsets.UTF_8);
        int at = s.indexOf("@@SPLICE@@");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(s.substring(0, at).getBytes(StandardCharsets.UTF_8));
        out.write(raw);
        out.write(s.substring(at + "@@SPLICE@@".length()).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** One to four random byte edits: flip, insert, delete or duplicate a span. */
    private byte[] mutate(byte[] in) {
        byte[] b = in.clone();
        for (int n = 1 + random.nextInt(4); n > 0 && b.length > 0; n--) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(4)) {
                case 0 -> b[at] = (byte) random.nextInt(256);
                case 1 -> {
                    byte[] c = new byte[b.length + 1];
                    System.arraycopy(b, 0, c, 0, at);
                    c[at] = (byte) random.nextInt(256);
                    System.arraycopy(b, at, c, at + 1, b.length - at);
                    b = c;
                }
                case 2 -> {
                    byte[] c = new byte[b.length - 1];
                    System.arraycopy(b, 0, c, 0, at);
                    System.arraycopy(b, at + 1, c, at, b.length - at - 1);
                    b = c;
                }
                default -> {
                    int len = Math.min(b.length - at, 1 + random.nextInt(8));
                    byte[] c = new byte[b.length + len];
                    System.arraycopy(b, 0, c, 0, at + len);
                    System.arraycopy(b, at, c, at + len, b.length - at);
                    b = c;
                }
            }
        }
        return b;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private String randomToken(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private UUID unknownUser() {
        UUID id = new UUID(random.nextLong(), random.nextLong());
        named.add(id);
        return id;
    }

    /** A well-formed refresh token (2 | user | session | secret | generation | tag) the server never issued. */
    private String forgedRefresh(UUID user, byte[] sid) {
        if (!user.equals(member.id())) {
            named.add(user);
        }
        return B64.encodeToString(ByteBuffer.allocate(85).put((byte) 2).putLong(user.getMostSignificantBits())
                .putLong(user.getLeastSignificantBits()).put(sid).put(randomBytes(32)).putInt(1).put(randomBytes(16)).array());
    }

    private static String sidOf(String refreshToken) {
        byte[] raw = Base64.getUrlDecoder().decode(refreshToken);
        return B64.encodeToString(java.util.Arrays.copyOfRange(raw, 17, 33));
    }

    private static String clip(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() <= 80 ? printable : printable.substring(0, 80) + "...(" + s.length() + ")";
    }

    // ---- state snapshots ---------------------------------------------------------------------------

    /** Row count, newest update and a checksum of every row of sigil.users. */
    private static String databaseChecksum() throws Exception {
        try (Connection c = DriverManager.getConnection(TestUsers.jdbc(), "postgres", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*), coalesce(max(updated_at)::text, ''), "
                     + "md5(coalesce(string_agg(u::text, '|' order by u.id), '')) from sigil.users u")) {
            rs.next();
            return rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3);
        }
    }

    /** Every key of these users with its value (hashes, sets and sorted sets in a stable order). */
    private static Map<String, String> redisStateOf(UUID... users) {
        Map<String, String> out = new TreeMap<>();
        for (UUID user : users) {
            for (String key : TestRedis.keysOf(user)) {
                String type = (String) TestRedis.call("TYPE", key);
                Object value = switch (type) {
                    case "hash" -> new TreeMap<>(TestRedis.hash(key));
                    case "string" -> TestRedis.call("GET", key);
                    case "set" -> new TreeSet<>(stringList(TestRedis.call("SMEMBERS", key)));
                    case "zset" -> TestRedis.call("ZRANGE", key, "0", "-1", "WITHSCORES");
                    default -> type;
                };
                out.put(key, type + " " + value);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<String> stringList(Object o) {
        return (List<String>) o;
    }

    /** The user ids that have any session state in Redis (test database only). */
    private static Set<UUID> usersWithRedisState() {
        Set<UUID> out = new HashSet<>();
        for (String key : stringList(TestRedis.call("KEYS", "sigil:{*"))) {
            Matcher m = USER_KEY.matcher(key);
            if (m.find()) {
                out.add(UUID.fromString(m.group(1)));
            }
        }
        return out;
    }
}
