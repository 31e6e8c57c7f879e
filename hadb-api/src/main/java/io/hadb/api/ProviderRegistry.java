package io.hadb.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Finds the provider for a URI scheme with {@link ServiceLoader} (DESIGN §3.5). An unknown scheme
 * fails with the schemes that were found and the artifact that would add the one asked for.
 *
 * @param <P> the provider type
 */
public final class ProviderRegistry<P extends Provider> {
  private static final System.Logger LOG = System.getLogger(ProviderRegistry.class.getName());

  private final Class<P> type;
  private final String what;
  private final Map<String, String> knownArtifacts;
  private final boolean byName;

  /**
   * @param what "lease store" or "storage backend", for messages
   * @param knownArtifacts scheme → artifact that provides it, for the "add artifact X" hint
   */
  public ProviderRegistry(Class<P> type, String what, Map<String, String> knownArtifacts) {
    this(type, what, knownArtifacts, false);
  }

  private ProviderRegistry(Class<P> type, String what, Map<String, String> knownArtifacts, boolean byName) {
    this.type = type;
    this.what = what;
    this.knownArtifacts = Map.copyOf(knownArtifacts);
    this.byName = byName;
  }

  /**
   * A registry whose providers are chosen by a plain name rather than a URI scheme (engines:
   * {@code sqlite}, {@code duckdb}); {@link Provider#scheme()} holds that name, and messages say
   * "named" instead of "scheme".
   */
  public static <P extends Provider> ProviderRegistry<P> byName(Class<P> type, String what,
      Map<String, String> knownArtifacts) {
    return new ProviderRegistry<>(type, what, knownArtifacts, true);
  }

  /** Every available provider on the class path, grouped by scheme, best first. */
  public Map<String, List<P>> providersByScheme() {
    return providersByScheme(Thread.currentThread().getContextClassLoader());
  }

  Map<String, List<P>> providersByScheme(ClassLoader loader) {
    Map<String, List<P>> byScheme = new TreeMap<>();
    ServiceLoader<P> sl = ServiceLoader.load(type, loader != null ? loader : type.getClassLoader());
    var it = sl.iterator();
    while (true) {
      P p;
      try {
        if (!it.hasNext()) {
          break;
        }
        p = it.next();
      } catch (ServiceConfigurationError e) {
        // One broken jar must not hide the others; say which one and go on.
        LOG.log(System.Logger.Level.WARNING, "skipping a " + what + " provider that failed to load: " + e.getMessage());
        continue;
      }
      if (!p.isAvailable()) {
        LOG.log(System.Logger.Level.DEBUG, "skipping unavailable " + what + " provider " + p.getClass().getName());
        continue;
      }
      byScheme.computeIfAbsent(p.scheme(), s -> new ArrayList<>()).add(p);
    }
    byScheme.values().forEach(list -> list.sort(Comparator.comparingInt((P p) -> p.priority()).reversed()));
    return byScheme;
  }

  /** The provider for {@code scheme}, the highest priority one if several claim it. */
  public P forScheme(String scheme) {
    Map<String, List<P>> all = providersByScheme();
    List<P> candidates = all.getOrDefault(scheme, List.of());
    if (candidates.isEmpty()) {
      throw HadbException.invalidArgument(unknownSchemeMessage(scheme, all.keySet()));
    }
    P best = candidates.get(0);
    if (candidates.size() > 1) {
      LOG.log(System.Logger.Level.WARNING,
          candidates.size() + " " + what + " providers serve '" + scheme + ":'; using "
              + best.getClass().getName() + " (priority " + best.priority() + ") over "
              + candidates.subList(1, candidates.size()).stream()
                  .map(p -> p.getClass().getName() + " (priority " + p.priority() + ")").toList());
    }
    return best;
  }

  private String unknownSchemeMessage(String scheme, Iterable<String> found) {
    String suffix = byName ? "" : ":";
    StringBuilder b = new StringBuilder("no ").append(what)
        .append(byName ? " named '" : " provider for scheme '").append(scheme).append(suffix)
        .append(byName ? "'; " + what + "s found on the class path: " : "'; schemes found on the class path: ");
    List<String> names = new ArrayList<>();
    found.forEach(s -> names.add(s + suffix));
    b.append(names.isEmpty() ? "none" : String.join(", ", names));
    Optional<String> artifact = Optional.ofNullable(knownArtifacts.get(scheme));
    if (artifact.isPresent()) {
      b.append(". Add the artifact io.hadb:").append(artifact.get()).append(" to the class path");
    } else {
      b.append(byName ? ". Known " + what + "s and their artifacts: " : ". Known schemes and their artifacts: ");
      List<String> known = new ArrayList<>();
      new TreeMap<>(knownArtifacts).forEach((s, a) -> known.add(s + (byName ? " in" : ":") + " io.hadb:" + a));
      b.append(String.join(", ", known));
    }
    return b.toString();
  }
}
