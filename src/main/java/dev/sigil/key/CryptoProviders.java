package dev.sigil.key;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ImageMode;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.Security;

/**
 * Picks the provider that signs RS256. AmazonCorrettoCryptoProvider (AWS-LC through JNI) signs about
 * three times faster than the JDK here, but only with key objects built by its own KeyFactory; it is
 * used when it loads and passes its self-test, otherwise (native image, other platforms, or switched
 * off) the JDK provider is used. The choice is logged once.
 */
public final class CryptoProviders {

    private static final String ACCP = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";
    private static volatile Provider fast;
    private static volatile boolean decided;

    private CryptoProviders() {
    }

    /**
     * Starts loading AmazonCorrettoCryptoProvider on a background thread, called first thing in main: its
     * loading (a signed jar the AOT cache cannot hold, the native library extracted and loaded, its
     * self-tests) then overlaps Quarkus' boot instead of following it; {@link #install} waits for it
     * through the class's initialisation lock. A failure here is reported by {@link #install}.
     */
    public static void preload() {
        if (ImageMode.current() == ImageMode.NATIVE_RUN) {
            return;
        }
        Thread loader = new Thread(() -> {
            try {
                Class.forName(ACCP, true, CryptoProviders.class.getClassLoader());
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                // install() finds the same failure and logs it
            }
        }, "sigil-crypto-preload");
        loader.setDaemon(true);
        loader.start();
    }

    /** Installs the fast provider as the most preferred one, if wanted and possible. Idempotent. */
    public static synchronized void install(boolean wanted) {
        if (decided) {
            return;
        }
        decided = true;
        if (!wanted) {
            Log.info("Crypto provider: JDK (sigil.crypto.fast-provider=false)");
            return;
        }
        if (ImageMode.current() == ImageMode.NATIVE_RUN) {
            Log.info("Crypto provider: JDK (AmazonCorrettoCryptoProvider is not used in native images)");
            return;
        }
        try {
            Provider p = (Provider) Class.forName(ACCP).getField("INSTANCE").get(null);
            Throwable loadingError = (Throwable) p.getClass().getMethod("getLoadingError").invoke(p);
            if (loadingError != null) {
                Log.warnf("Crypto provider: JDK (AmazonCorrettoCryptoProvider did not load: %s)", loadingError.getMessage());
                return;
            }
            p.getClass().getMethod("assertHealthy").invoke(p);
            Security.insertProviderAt(p, 1);
            fast = p;
            Log.infof("Crypto provider: %s %s for RSA signatures", p.getName(), p.getVersionStr());
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            Log.warnf("Crypto provider: JDK (AmazonCorrettoCryptoProvider unavailable: %s)", e.toString());
        }
    }

    /** The RSA KeyFactory of the provider that will sign, so its Signature takes the fast path. */
    static KeyFactory rsaKeyFactory() throws GeneralSecurityException {
        Provider p = fast;
        return p != null ? KeyFactory.getInstance("RSA", p) : KeyFactory.getInstance("RSA");
    }
}
