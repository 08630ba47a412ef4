package dev.sigil.user;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.hibernate.type.descriptor.java.StringJavaType;

/**
 * A text column whose value Hibernate never writes to a log: its parameter-binding and extraction TRACE
 * lines and its DEBUG entity listings print {@code [redacted]} instead. For the password hash.
 */
@RegisterForReflection
public class RedactedString extends StringJavaType {

    @Override
    public String extractLoggableRepresentation(String value) {
        return value == null ? "null" : "[redacted]";
    }
}
