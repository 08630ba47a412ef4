package dev.sigil.account;

import dev.sigil.config.SigilConfig;
import dev.sigil.error.ErrorCode;
import dev.sigil.error.SigilException;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * Hides {@link RegistrationResource} when {@code sigil.registration.enabled} is false. A request filter
 * runs before the body is read, so a disabled endpoint answers 404 whatever was sent.
 */
public class RegistrationSwitch {

    private final boolean enabled;

    public RegistrationSwitch(SigilConfig config) {
        this.enabled = config.registration().enabled();
    }

    @ServerRequestFilter
    public void refuseWhenDisabled(SimpleResourceInfo resource) {
        if (!enabled && resource.getResourceClass() == RegistrationResource.class) {
            throw new SigilException(ErrorCode.NOT_FOUND, "No such resource");
        }
    }
}
