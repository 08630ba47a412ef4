package dev.sigil.account;

import dev.sigil.error.SigilException;
import dev.sigil.user.UserDirectory;
import com.fasterxml.jackson.annotation.JsonSetter;

import java.util.List;
import java.util.Map;

/**
 * PATCH /admin/users/{id} body: each field present replaces the stored value, each absent field stays.
 * {@code "email": null} removes the email; {@code claims} replaces the whole set. {@code email_verified}
 * confirms ({@code true}) or un-confirms the address; setting an email without it marks the new one verified. A record cannot tell
 * an absent field from a null one, hence the setters.
 */
public final class UserPatch {

    private boolean emailPresent;
    private String email;
    private boolean emailVerifiedPresent;
    private Boolean emailVerified;
    private boolean rolesPresent;
    private List<String> roles;
    private boolean claimsPresent;
    private Map<String, Object> claims;
    private boolean enabledPresent;
    private Boolean enabled;

    @JsonSetter("email")
    public void setEmail(String email) {
        this.emailPresent = true;
        this.email = email;
    }

    @JsonSetter("email_verified")
    public void setEmailVerified(Boolean emailVerified) {
        this.emailVerifiedPresent = true;
        this.emailVerified = emailVerified;
    }

    @JsonSetter("roles")
    public void setRoles(List<String> roles) {
        this.rolesPresent = true;
        this.roles = roles;
    }

    @JsonSetter("claims")
    public void setClaims(Map<String, Object> claims) {
        this.claimsPresent = true;
        this.claims = claims;
    }

    @JsonSetter("enabled")
    public void setEnabled(Boolean enabled) {
        this.enabledPresent = true;
        this.enabled = enabled;
    }

    /** The changes this patch asks for; only email may be null (to remove it). */
    public UserDirectory.Changes changes() {
        if ((emailVerifiedPresent && emailVerified == null) || (rolesPresent && roles == null) || (claimsPresent && claims == null) || (enabledPresent && enabled == null)) {
            throw SigilException.validation("email_verified, roles, claims and enabled may be left out but not set to null");
        }
        return new UserDirectory.Changes(emailPresent, email, emailVerified, roles, claims, enabled);
    }
}
