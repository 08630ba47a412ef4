package dev.sigil.config;

import io.smallrye.config.ConfigMapping;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.PositiveOrZero;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every Sigil setting. Property {@code sigil.a.b-c} is also read from environment variable
 * {@code SIGIL_A_B_C}. Checked at start-up by {@link ConfigValidator}.
 */
@ConfigMapping(prefix = "sigil")
public interface SigilConfig {

    /** Issuer URL: the {@code iss} claim and the base of the discovery document. */
    String issuer();

    /**
     * Audiences put into the {@code aud} claim of every user's access token. No client may have one of them as
     * its audience (service tokens must never verify as user tokens); clients may introspect for them.
     */
    @WithDefault("sigil")
    List<String> audience();

    /** Role that may use the admin API. */
    @WithDefault("admin")
    String adminRole();

    Tokens tokens();

    Cookie cookie();

    Keys keys();

    Passwords passwords();

    Bootstrap bootstrap();

    Web web();

    Registration registration();

    Crypto crypto();

    RateLimits rateLimits();

    Sessions sessions();

    Redis redis();

    Postgresql postgresql();

    TokenExchange tokenExchange();

    Mail mail();

    Recovery recovery();

    /** The mail outbox's relay (the SMTP server itself is Quarkus' standard {@code quarkus.mailer.*}). */
    interface Mail {
        /** How often each replica looks for mail that is due. */
        @WithDefault("PT1S")
        Duration pollInterval();

        /** Messages one claim takes at most; a full batch is followed at once by the next. */
        @WithDefault("100")
        @Min(1)
        @Max(1000)
        int batchSize();

        /** Messages of a batch handed to SMTP at the same time. */
        @WithDefault("16")
        @Min(1)
        @Max(256)
        int concurrency();

        /**
         * How long a claimed message is hidden from other replicas while this one sends it; must exceed
         * {@code send-timeout}. A replica that dies mid-send leaves the message due again after it.
         */
        @WithDefault("PT2M")
        Duration lease();

        /** The longest one SMTP send may take before it counts as a failed attempt. */
        @WithDefault("PT30S")
        Duration sendTimeout();

        /** Attempts (the first included) before a message is parked as failed (20: about 6 hours of SMTP outage). */
        @WithDefault("20")
        @Min(1)
        int maxAttempts();

        /** The wait after the first failed attempt; each further failure doubles it. */
        @WithDefault("PT5S")
        Duration retryBase();

        /** The longest wait between two attempts. */
        @WithDefault("PT30M")
        Duration retryMax();

        /** The domain part of each message's Message-ID (default: the host of sigil.issuer). */
        Optional<String> messageIdDomain();
    }

    /** Password reset, email verification and email change by mailed links. */
    interface Recovery {
        /** Lifetime of a reset or verification token. */
        @WithDefault("PT30M")
        Duration tokenLifetime();

        /**
         * The page a reset mail links to, with the token appended as its {@code token} query parameter
         * (default: Sigil's own page, {@code <sigil.issuer>/account/reset-password}).
         */
        Optional<String> resetUrl();

        /** The page a verification mail links to (default: {@code <sigil.issuer>/account/verify-email}). */
        Optional<String> verifyUrl();

        /** Reset and verification requests per client address per {@code sigil.rate-limits.address-window} (429 beyond). */
        @WithDefault("10")
        @Min(1)
        int perAddress();

        /** Mails one account is sent per hour at most; requests beyond are answered alike and send nothing. */
        @WithDefault("3")
        @Min(1)
        int mailsPerHour();

        /** Serve Sigil's own reset and verification pages at /account/reset-password and /account/verify-email. */
        @WithDefault("true")
        boolean pagesEnabled();
    }

    /** Bounds on the reactive PostgreSQL pool (lock and statement timeouts are PostgreSQL settings, see application.properties). */
    interface Postgresql {
        /**
         * The longest a request waits for a pooled connection; past it the request answers 503 with
         * Retry-After. Without it a request waited Vert.x' 30 s whenever a locked table held every connection.
         */
        @WithDefault("PT2S")
        Duration acquireTimeout();

        /** Requests that may wait for a connection at once; beyond it 503 at once (the queue never grows without bound). */
        @WithDefault("200")
        @Min(1)
        int maxWaiting();

        /**
         * Connections that unauthenticated users-table work (login's lookups, a refresh that re-reads a
         * changed user) may hold at once; past it such a request answers 503 with Retry-After at once, so a
         * locked sigil.users cannot take the connections that grants and admin calls need. Unset: the pool
         * less 30 %, at least 2 (14 of 20). At least 1 and below quarkus.datasource.reactive.max-size.
         */
        java.util.OptionalInt loginShare();
    }

    interface Redis {
        /**
         * Replicas that must acknowledge every session change (Redis WAIT on the connection that wrote)
         * before Sigil answers; fewer within wait-timeout answer 503. 0: asynchronous replication, a
         * failover may lose the last changes. Every topology: WAIT goes in one batch with the change, which
         * the Cluster client sends to the master owning the change's keys.
         */
        @WithDefault("0")
        int waitReplicas();

        /** How long a session change waits for wait-replicas acknowledgements. */
        @WithDefault("PT0.5S")
        Duration waitTimeout();

        /**
         * The longest any Redis call may take, waiting for a pooled connection included; past it the
         * request answers 503 with Retry-After, and a script that Redis runs only later writes nothing
         * (its deadline goes with it, see {@code RedisClock}). quarkus.redis.timeout bounds only the blocking
         * client, which Sigil does not use. Must exceed wait-timeout.
         */
        @WithDefault("PT2S")
        Duration callTimeout();

        /**
         * Send the reads and repeatable checks that requests on one event loop issue in one turn of the loop as
         * one batch (CommandBatcher): one write, one read and one connection for all of them. false: every
         * command goes out alone. Always off on Redis Cluster, whose client batches only commands of one node.
         */
        @WithDefault("true")
        boolean batching();

        /**
         * Connections (per Redis node) kept for pure reads on request paths: the bearer revocation check, the
         * client token checks, the user's version and session index. A second client with the default
         * client's hosts, topology, credentials and TLS (nothing to configure twice), so that writes held by a
         * write pause (CLIENT PAUSE WRITE, a failover) cannot take every connection from the reads.
         */
        @WithDefault("4")
        @Min(1)
        int readPoolSize();
    }

    interface Sessions {
        /**
         * Live sessions one user may hold. A login at the cap ends the user's least recently used
         * session. Bounds the Redis state (about 1 KiB per session) that one account can create.
         */
        @WithDefault("50")
        @Min(1)
        @Max(10_000)
        int maxPerUser();
    }

    Clients clients();

    Mfa mfa();

    Webauthn webauthn();

    /** Passkeys (WebAuthn): passwordless sign-in, a second factor and step-up. */
    interface Webauthn {
        /** Offer passkey registration and sign-in. Off: every /me/passkeys and passkey sign-in endpoint answers 404. */
        @WithDefault("true")
        boolean enabled();

        /**
         * The relying-party id: a registrable domain that every allowed origin's host equals or ends with
         * (".rp-id"). Passkeys are bound to it; changing it orphans every registered passkey. Unset: the issuer's host.
         */
        Optional<String> rpId();

        /** The relying-party name that authenticators show when a passkey is created. */
        @WithDefault("Sigil")
        String rpName();

        /**
         * The origins whose pages may run a ceremony (the clientDataJSON origin), e.g. https://app.example.com.
         * Unset: the issuer's origin and sigil.web.allowed-origins. Each must be https (http only for localhost)
         * and on the rp-id; checked at start-up.
         */
        Optional<List<String>> origins();

        /**
         * How long a ceremony's challenge can be answered (single use). Also the options' timeout; conditional UI
         * fetches new options when it runs out. Bounds the Redis state of unauthenticated option requests.
         */
        @WithDefault("PT3M")
        Duration challengeLifetime();
    }

    /** The second factor (TOTP and recovery codes). */
    interface Mfa {
        /** Offer TOTP enrolment and ask enrolled users for a code at login. Needs {@code encryption-key}. */
        @WithDefault("false")
        boolean enabled();

        /**
         * AES-256-GCM key (base64 of 32 bytes) that encrypts TOTP secrets at rest. Required in prod when MFA
         * is enabled; dev and test generate one per start when it is absent.
         */
        Optional<String> encryptionKey();

        /** The issuer shown by authenticator apps (the otpauth:// URI's issuer). */
        @WithDefault("Sigil")
        String issuerName();

        /**
         * Roles that an access token carries only when its session's login (or step-up) used the second
         * factor; tokens of other sessions lack them and carry {@code mfa_enrolment_required: true}.
         */
        Optional<List<String>> requiredRoles();

        /**
         * Enrolment only with a one-time ticket that an admin issued for the user
         * ({@code POST /admin/users/{id}/mfa/enrolment-ticket}), on top of the current password. Off, whoever
         * holds a user's password can enrol an authenticator of their own, step up and so reach the roles of
         * {@code required-roles}; on, each enrolment (also after an admin reset) needs an admin.
         */
        @WithDefault("false")
        boolean enrolmentTicketRequired();

        /** How long an enrolment ticket can be used (a credential: keep it short). */
        @WithDefault("PT1H")
        Duration enrolmentTicketLifetime();

        /**
         * How recent a step-up of the session (its {@code auth_time} with {@code otp} in {@code amr}) must be to
         * stand in for a code when the second factor is removed.
         */
        @WithDefault("PT5M")
        Duration stepUpMaxAge();
    }

    /** OAuth 2.0 Token Exchange (RFC 8693): delegation from one service to the next, on the user's behalf. */
    interface TokenExchange {
        /**
         * The longest delegation chain: how many {@code act} hops an exchanged token may carry. A token from login or
         * client credentials has none; each exchange adds one.
         */
        @WithDefault("2")
        @Min(1)
        @Max(8)
        int maxDepth();

        /**
         * Lifetime of an exchanged token; never past the subject token's {@code exp}, nor the calling client's
         * {@code token_lifetime}.
         */
        @WithDefault("PT5M")
        Duration lifetime();
    }

    /** OAuth 2.0 clients (service-to-service tokens). */
    interface Clients {
        /** How long a client's previous secret keeps working after a rotation, unless the rotation names another overlap. */
        @WithDefault("PT24H")
        Duration secretOverlap();

        /** Lifetime of a new client's access tokens unless given; at most {@code sigil.tokens.access-lifetime}. */
        @WithDefault("PT15M")
        Duration tokenLifetime();

        /** Accept http:// JWKS URLs (https only otherwise); for development and tests only. */
        @WithDefault("false")
        boolean allowHttpJwksUri();

        /** How long a fetched client JWKS is reused. */
        @WithDefault("PT5M")
        Duration jwksCacheTtl();

        /** The longest a cached client record is reused; admin changes end it at once anyway (see ClientCache). */
        @WithDefault("PT5S")
        Duration callerCacheTtl();
    }

    /** Brute-force defences, kept in Redis so that every replica shares them. */
    interface RateLimits {
        /** Failed logins of one username (or authentications of one OAuth client) from one client address before lockouts start. */
        @WithDefault("5")
        int lockoutThreshold();

        /** First lockout; each further failure doubles it. */
        @WithDefault("PT1S")
        Duration lockoutBase();

        /** Longest lockout. */
        @WithDefault("PT15M")
        Duration lockoutMax();

        /** Failure counters are forgotten after this long without a failure; a success resets them. */
        @WithDefault("PT1H")
        Duration failureWindow();

        /** Failed logins of one username from all addresses per failure window before it answers 429. */
        @WithDefault("100")
        int perUsername();

        /** Login and registration attempts per client address (an IPv6 address by its /64) per address window. */
        @WithDefault("60")
        int perAddress();

        /**
         * Failed OAuth client authentications per client address (an IPv6 address by its /64) per address
         * window; past it, wrong or unknown client credentials from there get 429. A right one is always served.
         */
        @WithDefault("20")
        @Min(1)
        int clientFailuresPerAddress();

        /** The window of {@code per-address} and {@code client-failures-per-address}. */
        @WithDefault("PT1M")
        Duration addressWindow();

        /**
         * How long a password check (and a client's or a second factor's check) may take, from before its
         * reservation is sent to its answer: the reservation, the PostgreSQL read and the hash with its queue.
         * Past it the request answers 503 and the slot is free; a reservation whose answer was lost (a
         * process that died mid-check, a lost reply) counts as in flight this long at most. Must exceed
         * sigil.redis.call-timeout.
         */
        @WithDefault("PT10S")
        Duration reservationLifetime();
    }

    interface Crypto {
        /** Sign with AmazonCorrettoCryptoProvider where it loads (JVM on linux-x86_64); false forces the JDK provider. */
        @WithDefault("true")
        boolean fastProvider();
    }

    interface Tokens {
        /** Access token lifetime. */
        @WithDefault("PT15M")
        Duration accessLifetime();

        /** Refresh token idle lifetime; every rotation restarts it. */
        @WithDefault("P7D")
        Duration refreshIdle();

        /** Absolute session lifetime from login; no rotation extends it. */
        @WithDefault("P30D")
        Duration sessionMax();

        /** How long the just-rotated-out refresh token still gets the same successor (0 = strict). */
        @WithDefault("PT10S")
        Duration grace();

        /**
         * Clock skew tolerated between Sigil and verifiers: Sigil's own checks of {@code exp}, {@code nbf} and {@code iat}
         * (bearer endpoints, introspection) allow it; retired keys and deny-list entries are kept that much longer.
         */
        @WithDefault("PT30S")
        Duration clockSkew();

        /** Also return the refresh token in JSON bodies and accept it in the refresh body (native/mobile clients). */
        @WithDefault("false")
        boolean refreshInBody();

        /**
         * Base64 of at least 32 random bytes: the HMAC key that tags each refresh token with its session and
         * generation, so any older token of a session is recognised without storing it. Required in prod;
         * dev and test generate one at start-up. Never commit it.
         */
        Optional<String> refreshKey();

        /** The key before {@link #refreshKey()}, still accepted for verification while tokens it tagged live. */
        Optional<String> refreshPreviousKey();
    }

    interface Cookie {
        /** Refresh cookie name. A {@code __Secure-} or {@code __Host-} prefix requires {@code secure=true}. */
        @WithDefault("__Secure-refresh_token")
        String name();

        /** Send the cookie only over HTTPS. */
        @WithDefault("true")
        boolean secure();

        /** SameSite attribute: Strict, Lax or None (None requires secure). */
        @WithDefault("Strict")
        String sameSite();
    }

    interface Keys {
        /** Directory of PKCS#8 PEM signing keys named {@code <activation instant>.pem}, e.g. {@code 20261128T120000Z.pem}. Required in prod. */
        Optional<Path> dir();

        /** Where dev and test mode generate a signing key when {@code dir} is not set. */
        @WithDefault(".sigil/dev-keys")
        Path devDir();

        /** How often the key directory is re-read. */
        @WithDefault("PT1M")
        Duration reloadInterval();

        /** JWKS {@code Cache-Control: max-age}. */
        @WithDefault("PT5M")
        Duration jwksMaxAge();

        /**
         * How far ahead of its activation a new key must be in the directory, so that every verifier's
         * cached JWKS holds it before the first token it signs. Must cover jwks-max-age + reload-interval.
         * Also what {@code --generate-key} uses by default.
         */
        @WithDefault("PT15M")
        Duration activationLead();
    }

    interface Passwords {
        /** Argon2id memory in KiB (OWASP minimum 19456 = 19 MiB). */
        @WithDefault("19456")
        @Min(value = 19456, message = "is below OWASP's Argon2id minimum of 19456 KiB")
        int memoryKib();

        /** Argon2id iterations (OWASP minimum 2 at 19 MiB). */
        @WithDefault("2")
        @Min(value = 2, message = "is below OWASP's Argon2id minimum of 2 iterations")
        int iterations();

        /** Argon2id parallelism. */
        @WithDefault("1")
        @Min(1)
        int parallelism();

        /** Threads that hash passwords (0 = number of CPU cores). */
        @WithDefault("0")
        @PositiveOrZero
        int workers();

        /** Hashes running or queued at once; beyond it a request gets 503 with Retry-After. */
        @WithDefault("64")
        @Min(1)
        int maxInFlight();

        /**
         * Whether to use the native Argon2id (libargon2, the reference C implementation) where it loads;
         * Bouncy Castle otherwise. Both compute the same PHC hashes.
         */
        @WithName("native")
        @WithDefault("true")
        boolean nativeArgon2();
    }

    interface Bootstrap {
        /** Username of the admin created at start-up when no user holds the admin role. */
        Optional<String> adminUsername();

        /** Password of that admin; not checked against the password policy, so choose a long random one. */
        Optional<String> adminPassword();

        /** Email of that admin. */
        Optional<String> adminEmail();
    }

    interface Registration {
        /**
         * Whether anyone may create an account with {@code POST /users}. Off by default in prod, where
         * accounts come from the admin API; when off, the endpoint answers 404.
         */
        @WithDefault("false")
        boolean enabled();
    }

    interface Web {
        /**
         * Browser origins (besides Sigil's own) allowed to use the API with credentials: login, refresh and
         * logout included, e.g. https://app.example.com. For the cookie to reach Sigil they must be on the same site.
         */
        Optional<List<String>> allowedOrigins();

        Demo demo();

        interface Demo {
            /** Serve the demo page at /demo/ (on in dev mode). */
            @WithDefault("false")
            boolean enabled();
        }
    }
}
