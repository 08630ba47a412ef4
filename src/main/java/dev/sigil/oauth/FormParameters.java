package dev.sigil.oauth;

import dev.sigil.error.OAuthError;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An application/x-www-form-urlencoded body, decoded here rather than by the framework: a broken
 * percent-encoding ({@code %zz}, {@code %G0}, a trailing {@code %}) is the caller's error, 400
 * {@code invalid_request} in RFC 6749 JSON (RFC 6749 section 5.2, RFC 7009 section 2.2.1), not a
 * server failure with a stack trace.
 */
record FormParameters(Map<String, List<String>> values) {

    static FormParameters parse(String body) {
        Map<String, List<String>> values = new HashMap<>();
        if (body != null && !body.isEmpty()) {
            for (String pair : body.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
        return new FormParameters(values);
    }

    private static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s; // nothing to decode: the common case of a token, which URLDecoder would copy char by char
        }
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidRequest("The form body is not valid application/x-www-form-urlencoded");
        }
    }

    /** A parameter that may be repeated (RFC 8707 resource); empty when absent. */
    List<String> all(String name) {
        return List.copyOf(values.getOrDefault(name, List.of()));
    }

    /** RFC 6749 section 3.2: a parameter may not be repeated. Null when absent. */
    String single(String name) {
        List<String> v = values.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.size() > 1) {
            throw OAuthError.invalidRequest("Parameter " + name + " is repeated");
        }
        return v.get(0);
    }
}
