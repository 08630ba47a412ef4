package dev.sigil.web;

import io.netty.util.NetUtil;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * A caller's IP address in one canonical text form: dotted quad for IPv4 (also for IPv4-mapped IPv6),
 * RFC 5952 for IPv6 (lower case, longest zero run as ::, no zone). Anything that is not an IP literal,
 * such as a hostile X-Forwarded-For value passed on by a proxy, is {@link #UNKNOWN}: one shared name,
 * so garbage can neither pick a fresh rate-limit bucket per request nor inject text into a Redis key.
 * Only this type reaches the throttle's key names and the session records; a raw header never does.
 * <p>
 * Per-address limits key on {@link #throttleForm()}: an IPv4 address alone, an IPv6 address by its /64,
 * the smallest prefix a provider hands one subscriber (RFC 6177): whoever holds one IPv6 address
 * usually holds 2^64 of them, and a limit per full address would give each guess a fresh bucket.
 */
public final class CallerAddress {

    /** Every address that could not be parsed. */
    public static final CallerAddress UNKNOWN = new CallerAddress("unknown", "unknown");
    /** Longer than any IP literal, even an IPv6 one with brackets and a zone: refused before parsing. */
    private static final int MAX_INPUT = 64;

    private final String value;
    private final String throttleForm;

    private CallerAddress(String value, String throttleForm) {
        this.value = value;
        this.throttleForm = throttleForm;
    }

    /** The canonical address for {@code raw} (an IP literal, optionally in [brackets]), or {@link #UNKNOWN}. Never resolves names. */
    public static CallerAddress parse(String raw) {
        if (raw == null || raw.isEmpty() || raw.length() > MAX_INPUT) {
            return UNKNOWN;
        }
        String literal = raw.startsWith("[") && raw.endsWith("]") ? raw.substring(1, raw.length() - 1) : raw;
        // Netty's parser accepts IP literals only (no DNS); the bytes are then printed in canonical form.
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(literal);
        if (bytes == null) {
            return UNKNOWN;
        }
        try {
            // getByAddress never performs a lookup; an IPv4-mapped IPv6 address comes back as its IPv4 address.
            InetAddress address = InetAddress.getByAddress(bytes);
            String value = NetUtil.toAddressString(address);
            if (!(address instanceof Inet6Address)) {
                return new CallerAddress(value, value);
            }
            byte[] prefix = address.getAddress();
            Arrays.fill(prefix, 8, 16, (byte) 0);
            return new CallerAddress(value, NetUtil.toAddressString(InetAddress.getByAddress(prefix)) + "/64");
        } catch (UnknownHostException e) {
            return UNKNOWN;
        }
    }

    public String value() {
        return value;
    }

    /** What per-address limits key on: the address for IPv4, its /64 network for IPv6 ({@code 2001:db8:0:1::/64}). */
    public String throttleForm() {
        return throttleForm;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CallerAddress other && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
