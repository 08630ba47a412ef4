package dev.sigil.config;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Says at start-up whether the JVM runs on the AOT cache (JDK 25 {@code -XX:AOTCache}, or a CDS archive given
 * with {@code -XX:SharedArchiveFile}). A JVM that refuses the cache (a copy that changed the jars' times,
 * other GC or header options) starts without it and twice as slowly, and logs nothing unless asked to
 * ({@code -Xlog:aot}); this line is how an operator sees it (docs/operations.md).
 */
@ApplicationScoped
public class AotCacheReport {

    /** The options that name an application cache; JDK 17 knows only the second. */
    static final List<String> CACHE_OPTIONS = List.of("AOTCache", "SharedArchiveFile");

    void onStart(@Observes StartupEvent event) {
        Log.infof("Sigil on Java %s: %s", Runtime.version(), status());
    }

    /** This JVM's cache, in the words of {@link #describe}. */
    static String status() {
        if ("runtime".equals(System.getProperty("org.graalvm.nativeimage.imagecode"))) {
            return "AOT cache not applicable (native image)";
        }
        return describe(System.getProperty("java.vm.info", ""), configuredCache(), mappedFiles());
    }

    /**
     * @param vmInfo   {@code java.vm.info}: HotSpot adds "sharing" only when it mapped an archive; with a named cache
     *                 it does not fall back to the JDK's default archive, so a refused cache shows as no "sharing"
     * @param cache    the cache file the JVM was told to use, if any
     * @param mapped   the files mapped into this process (Linux' /proc/self/maps), when readable: a cache in use is
     *                 among them, which also tells a refused top layer of a two-layer CDS archive apart
     */
    static String describe(String vmInfo, Optional<String> cache, Optional<List<String>> mapped) {
        if (cache.isEmpty()) {
            return "AOT cache not in use (none configured: -XX:AOTCache on JDK 25, see docs/operations.md)";
        }
        String file = cache.get();
        boolean sharing = vmInfo.contains("sharing");
        boolean isMapped = mapped.map(lines -> lines.stream().anyMatch(l -> l.endsWith(realPath(file)))).orElse(true);
        if (sharing && isMapped) {
            return "AOT cache in use (" + file + ")";
        }
        return "AOT cache not in use: the JVM refused " + file + " (start once with -Xlog:aot to see why; copy the"
                + " application with its file times kept, see docs/operations.md)";
    }

    static Optional<String> configuredCache() {
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            for (String option : CACHE_OPTIONS) {
                String value = optionValue(hotspot, option);
                if (!value.isBlank()) {
                    return Optional.of(value);
                }
            }
        } catch (RuntimeException | LinkageError notHotSpot) {
            // another JVM: no HotSpot options to read; the line then says none is configured
        }
        return Optional.empty();
    }

    private static String optionValue(HotSpotDiagnosticMXBean hotspot, String option) {
        try {
            return hotspot.getVMOption(option).getValue();
        } catch (IllegalArgumentException unknownOnThisJdk) {
            return "";
        }
    }

    private static Optional<List<String>> mappedFiles() {
        try {
            return Optional.of(Files.readAllLines(Path.of("/proc/self/maps")));
        } catch (IOException | RuntimeException notLinux) {
            return Optional.empty();
        }
    }

    private static String realPath(String file) {
        try {
            return Path.of(file).toRealPath().toString();
        } catch (IOException | RuntimeException e) {
            return Path.of(file).toAbsolutePath().normalize().toString();
        }
    }
}
