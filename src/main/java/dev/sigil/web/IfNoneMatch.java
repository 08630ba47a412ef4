package dev.sigil.web;

/**
 * The {@code If-None-Match} precondition (RFC 9110 section 13.1.2) for the public documents: true when
 * the header is {@code *} or lists the current entity-tag, compared weakly ({@code W/} ignored). The
 * origin server evaluates it whatever {@code Cache-Control} says: {@code no-cache} asks caches to
 * revalidate, which is exactly this request (Vert.x's {@code isFresh()} answers false for it, as a cache
 * would, and Node's fetch sends both). A malformed header matches nothing: the full answer is safe.
 */
public final class IfNoneMatch {

    private IfNoneMatch() {
    }

    /** Whether {@code header} matches {@code etag} (a quoted entity-tag); false for a null or malformed header. */
    public static boolean matches(String header, String etag) {
        if (header == null) {
            return false;
        }
        if (header.strip().equals("*")) {
            return true;
        }
        String current = opaque(etag);
        int i = 0;
        int n = header.length();
        while (i < n) {
            char c = header.charAt(i);
            if (c == ' ' || c == '\t' || c == ',') {
                i++;
                continue;
            }
            if (header.startsWith("W/", i)) {
                i += 2;
            }
            if (i >= n || header.charAt(i) != '"') {
                return false;
            }
            int end = header.indexOf('"', i + 1);
            if (end < 0) {
                return false;
            }
            if (header.substring(i, end + 1).equals(current)) {
                return true;
            }
            i = end + 1;
        }
        return false;
    }

    private static String opaque(String etag) {
        return etag.startsWith("W/") ? etag.substring(2) : etag;
    }
}
