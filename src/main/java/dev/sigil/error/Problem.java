package dev.sigil.error;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonInclude;

/** RFC 9457 problem details with Sigil's stable {@code code} extension member. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection // serialised from a Response entity, which native-image cannot discover
public record Problem(String type, String title, int status, String detail, String code) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(ErrorCode code, String detail) {
        return new Problem("urn:sigil:problem:" + code.code(), code.title, code.status,
                detail, code.code());
    }
}
