package dev.sigil.account;

import dev.sigil.password.PasswordPolicy;
import dev.sigil.support.Api;
import dev.sigil.support.TestKeys;
import dev.sigil.support.TestUsers;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

@QuarkusTest
@WithTestResource(value = TestKeys.class, scope = TestResourceScope.GLOBAL)
class RegistrationTest {

    static final String GOOD = "violet staple copper lamp";

    @Inject
    PasswordPolicy policy;

    static Response register(String username, String password) {
        return register(username, password, null);
    }

    static Response register(String username, String password, String email) {
        Map<String, Object> body = new HashMap<>();
        body.put("username", username);
        body.put("password", password);
        if (email != null) {
            body.put("email", email);
        }
        return given().contentType(ContentType.JSON).body(body).post("/users");
    }

    static long usersNamed(String username) {
        return TestUsers.count("select count(*) from sigil.users where lower(username) = lower(?)", username);
    }

    private static void refused(Response r, String detail) {
        r.then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("validation_failed"))
                .body("detail", containsString(detail));
    }

    @Test
    void registrationCreatesAnEnabledUserWithoutRolesAndAnswers201WithLocation() {
        String name = TestUsers.uniqueName("reg");
        Response r = register(name, GOOD, "reg@example.com");
        r.then().statusCode(201).contentType(ContentType.JSON)
                .body("username", equalTo(name))
                .body("email", equalTo("reg@example.com"))
                .body("roles", equalTo(List.of()))
                .body(not(containsString("argon2")))
                .body(not(containsString("password")));
        String id = r.jsonPath().getString("id");
        assertThat(r.getHeader("Location")).isEqualTo(Api.issuer() + "/admin/users/" + id);
        Api.login(name, GOOD).then().statusCode(200);
    }

    @Test
    void aUsernameTakenInAnotherLetterCaseIs409() {
        String name = TestUsers.uniqueName("Taken");
        register(name, GOOD).then().statusCode(201);
        register(name.toUpperCase(), GOOD).then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("conflict"));
        assertThat(usersNamed(name)).isEqualTo(1);
    }

    @Test
    void aPasswordShorterThanEightCharactersIsRefused() {
        String name = TestUsers.uniqueName("short");
        refused(register(name, "xK9#qLm"), "at least 8 characters");
        assertThat(usersNamed(name)).isZero();
    }

    @Test
    void aPasswordOf128CharactersIsAcceptedAndLogsIn() {
        String name = TestUsers.uniqueName("long");
        String password = "Zq7-".repeat(32);
        register(name, password).then().statusCode(201);
        Api.login(name, password).then().statusCode(200);
    }

    @Test
    void aPasswordOf129CharactersIsRefused() {
        String name = TestUsers.uniqueName("long");
        refused(register(name, "Zq7-".repeat(32) + "x"), "at most 128 characters");
        assertThat(usersNamed(name)).isZero();
    }

    @Test
    void lengthIsCountedInCodePointsNotUtf16Units() {
        // 100 astral code points are 200 UTF-16 units but 100 characters.
        String name = TestUsers.uniqueName("emoji");
        register(name, "\uD83D\uDD11".repeat(99) + "x").then().statusCode(201);
    }

    @Test
    void lengthIsCountedAfterNfkcNormalisation() {
        // U+FB03 LATIN SMALL LIGATURE FFI becomes "ffi": 43 code points typed, 129 after NFKC.
        String name = TestUsers.uniqueName("nfkc");
        refused(register(name, "\uFB03".repeat(43)), "at most 128 characters");
        // 7 code points typed, 9 after NFKC.
        register(TestUsers.uniqueName("nfkc"), "\uFB03Qz7#pV").then().statusCode(201);
    }

    @Test
    void aPasswordTypedInAnEquivalentUnicodeFormLogsIn() {
        String name = TestUsers.uniqueName("fullwidth");
        register(name, "\uFF54\uFF41\uFF4E\uFF47\uFF4F lemur orbit").then().statusCode(201); // full-width "tango"
        Api.login(name, "tango lemur orbit").then().statusCode(200);
    }

    @Test
    void aCommonPasswordIsRefused() {
        String name = TestUsers.uniqueName("common");
        refused(register(name, "iloveyou1"), "too common");
        assertThat(usersNamed(name)).isZero();
    }

    @Test
    void aCommonPasswordIsRefusedWhateverItsLetterCaseOrUnicodeForm() {
        refused(register(TestUsers.uniqueName("common"), "PassWord123"), "too common");
        // Full-width "password123" is "password123" after NFKC.
        refused(register(TestUsers.uniqueName("common"), "\uFF50\uFF41\uFF53\uFF53\uFF57\uFF4F\uFF52\uFF44\uFF11\uFF12\uFF13"),
                "too common");
    }

    @Test
    void thePasswordMayNotBeTheUsernameInAnyCase() {
        String name = TestUsers.uniqueName("same");
        refused(register(name, name.toUpperCase()), "must not be the username");
        assertThat(usersNamed(name)).isZero();
    }

    @Test
    void oneCharacterRepeatedIsRefused() {
        refused(register(TestUsers.uniqueName("repeat"), "zzzzzzzzzzzz"), "one character repeated");
    }

    @Test
    void theCommonPasswordListHoldsAtLeastTenThousandEntriesAndItsLastIsRefused() throws Exception {
        List<String> list;
        try (var in = PasswordPolicy.class.getResourceAsStream("/passwords/common-passwords.txt")) {
            list = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().filter(l -> !l.isEmpty()).toList();
        }
        assertThat(list).hasSizeGreaterThanOrEqualTo(10_000);
        String last = list.stream().filter(l -> l.length() >= PasswordPolicy.MIN_LENGTH).reduce((a, b) -> b).orElseThrow();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> policy.check(last, "someone-else"))
                .hasMessageContaining("too common");
    }

    @Test
    void anInvalidUsernameIsRefused() {
        for (String bad : List.of("ab", "u".repeat(65), "has space", "semi;colon", "ünïcode")) {
            refused(register(bad, GOOD), "username must be 3 to 64 characters");
        }
    }

    @Test
    void anInvalidEmailIsRefusedAndCreatesNothing() {
        String name = TestUsers.uniqueName("mail");
        for (String bad : List.of("no-at-sign", "two@@example.com", "a b@example.com", "x@localhost",
                "a@" + "d".repeat(250) + ".com")) {
            refused(register(name, GOOD, bad), "email must be an address");
        }
        assertThat(usersNamed(name)).isZero();
    }

    @Test
    void registrationCannotGrantRolesOrClaims() {
        String name = TestUsers.uniqueName("sneaky");
        given().contentType(ContentType.JSON)
                .body(Map.of("username", name, "password", GOOD, "roles", List.of("admin")))
                .post("/users").then().statusCode(400).body("code", equalTo("validation_failed"))
                .body("detail", equalTo("Unknown field 'roles'"));
        assertThat(usersNamed(name)).isZero();
    }

    @Test
    void missingFieldsAreNamed() {
        given().contentType(ContentType.JSON).body(Map.of("username", TestUsers.uniqueName("x")))
                .post("/users").then().statusCode(400).body("detail", equalTo("password is required"));
        given().contentType(ContentType.JSON).body(Map.of("password", GOOD))
                .post("/users").then().statusCode(400).body("detail", containsString("username must be"));
    }
}
