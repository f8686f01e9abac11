package org.cairndb.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.cairndb.storage.FragmentTier;

/**
 * A {@link FragmentCache}'s side of the shared tier (the main storage's {@link FragmentTier}):
 * values to and from the wire encoding, and the rule that the shared tier is a cache: a failed
 * get means computing the value, a failed set keeps it in this process only. Explicit
 * invalidations fail loudly instead (another process could still be served the value).
 */
final class FragmentSharing {
    private final FragmentTier tier;
    /** The mount the tier belongs to: only values depending on nothing else are shared. */
    final String mount;

    private final String cache;
    final LongAdder hits = new LongAdder(), errors = new LongAdder();

    FragmentSharing(FragmentTier tier, String mount, String cache) {
        this.tier = tier;
        this.mount = mount;
        this.cache = cache;
    }

    /**
     * The shared value of {@code key} as an entry of {@code owner} (not yet admitted), or null.
     * Its snapshot is the tid the server names: the server answers behind the invalidations up
     * to it, so this client has processed them, and admission checks the commits after it.
     */
    FragmentEntry get(FragmentCache owner, String key, String[] tags, long ttlNanos) {
        FragmentTier.Hit hit;
        try {
            hit = tier.fragmentGet(cache, key);
        } catch (RuntimeException e) {
            errors.increment();
            return null;
        }
        if (hit == null) return null;
        Object value = switch (hit.kind()) {
            case FragmentEntry.STRING -> new String(hit.value(), StandardCharsets.UTF_8);
            case FragmentEntry.BYTES, FragmentEntry.OBJECT -> hit.value();
            default -> null;
        };
        long[] deps = hit.deps().clone();
        Arrays.sort(deps);
        Map<String, long[]> depMap = deps.length == 0 ? Map.of() : Map.of(mount, deps);
        Map<String, Long> snapshots = deps.length == 0 ? Map.of() : Map.of(mount, hit.validTid());
        int bytes = hit.value() == null ? 0 : hit.value().length;
        return new FragmentEntry(
                owner,
                key,
                (byte) hit.kind(),
                value,
                bytes + 64 + 2 * key.length() + 16 * deps.length,
                depMap,
                snapshots,
                tags,
                ttlNanos);
    }

    /** True when {@code e} depends on the tier's mount only (or on nothing), so other processes can check it. */
    boolean shareable(FragmentEntry e) {
        return e.deps.keySet().stream().allMatch(mount::equals);
    }

    /** Offers a computed value (a blind write; the server refuses it if already stale). */
    void offer(FragmentEntry e, long snapshot) {
        long[] deps = e.deps.getOrDefault(mount, new long[0]);
        byte[] bytes = switch (e.kind) {
            case FragmentEntry.STRING -> ((String) e.value).getBytes(StandardCharsets.UTF_8);
            case FragmentEntry.BYTES, FragmentEntry.OBJECT -> (byte[]) e.value;
            default -> null;
        };
        long ttlMillis = e.ttlNanos == Long.MAX_VALUE ? 0 : Math.max(1, e.ttlNanos / 1_000_000);
        try {
            tier.fragmentSet(cache, e.key, e.kind, bytes, deps, snapshot, ttlMillis, List.of(e.tags));
        } catch (RuntimeException failed) {
            errors.increment(); // the value stays in the near tier; other processes compute their own
        }
    }

    void invalidate(FragmentTier.Scope scope, String name) {
        tier.fragmentInvalidate(cache, scope, name);
    }
}
