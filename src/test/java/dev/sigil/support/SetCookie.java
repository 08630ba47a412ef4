package dev.sigil.support;

import io.restassured.response.Response;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** One parsed {@code Set-Cookie} header: name, value and attributes (names lower-cased, flags map to ""). */
public record SetCookie(String name, String value, Map<String, String> attributes) {

    public static SetCookie parse(String header) {
        String[] parts = header.split(";");
        int eq = parts[0].indexOf('=');
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            int e = p.indexOf('=');
            attributes.put((e < 0 ? p : p.substring(0, e)).toLowerCase(Locale.ROOT), e < 0 ? "" : p.substring(e + 1));
        }
        return new SetCookie(parts[0].substring(0, eq).trim(), parts[0].substring(eq + 1).trim(), attributes);
    }

    /** Every Set-Cookie header of the response that names the refresh cookie. */
    public static List<SetCookie> refreshCookies(Response r) {
        List<SetCookie> out = new ArrayList<>();
        r.headers().getValues("Set-Cookie").stream().map(SetCookie::parse)
                .filter(c -> c.name().equals(Api.COOKIE)).forEach(out::add);
        return out;
    }

    /** The one refresh cookie the response sets, failing the test unless there is exactly one. */
    public static SetCookie refreshCookie(Response r) {
        List<SetCookie> all = refreshCookies(r);
        assertThat(all).as("refresh Set-Cookie headers").hasSize(1);
        return all.get(0);
    }

    /** Asserts the response deletes the refresh cookie: empty value, Max-Age=0, same Path and flags. */
    public static void assertClearsRefreshCookie(Response r) {
        SetCookie c = refreshCookie(r);
        assertThat(c.value()).as("cleared cookie value").isEmpty();
        assertThat(c.attributes()).containsEntry("max-age", "0").containsEntry("path", "/refresh-token")
                .containsKeys("httponly", "secure").containsEntry("samesite", "Strict").doesNotContainKey("domain");
    }

    /** Asserts the response leaves every cookie alone: no Set-Cookie header at all. */
    public static void assertSetsNoCookie(Response r) {
        assertThat(r.headers().getValues("Set-Cookie")).as("Set-Cookie headers").isEmpty();
    }

    public long maxAge() {
        return Long.parseLong(attributes.get("max-age"));
    }
}
