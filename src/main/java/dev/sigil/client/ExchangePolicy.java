package dev.sigil.client;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a client may do at token exchange (RFC 8693): which kinds of subject token it may exchange ({@code user},
 * {@code client}; none: exchange is off, the default) and the scopes it may pass on. The audiences it may request
 * are its {@code audience}, as for its own tokens.
 */
@RegisterForReflection
public record ExchangePolicy(@JsonProperty("subjects") List<String> subjects, @JsonProperty("scopes") List<String> scopes) {

    public static final String USER = "user";
    public static final String CLIENT = "client";
    public static final ExchangePolicy NONE = new ExchangePolicy(List.of(), List.of());

    public ExchangePolicy {
        // Copied as sent, nulls included: ClientRules#exchange refuses them with a 400, not a failed constructor.
        subjects = subjects == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(subjects));
        scopes = scopes == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(scopes));
    }

    public boolean mayExchange(String kind) {
        return subjects.contains(kind);
    }
}
