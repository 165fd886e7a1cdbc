package com.powerwatch.hj212;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An unmodifiable, insertion-ordered map. The parser hands its freshly built maps over without a
 * copy (decoding is the hot path); anything else is copied once on the way in.
 */
final class FrozenMap<K, V> extends AbstractMap<K, V> {

    private static final FrozenMap<?, ?> EMPTY = new FrozenMap<>(new LinkedHashMap<>(0));

    private final LinkedHashMap<K, V> map;

    private FrozenMap(LinkedHashMap<K, V> owned) {
        this.map = owned;
    }

    /** Takes ownership of a map nobody else holds. */
    static <K, V> Map<K, V> adopt(LinkedHashMap<K, V> owned) {
        return new FrozenMap<>(owned);
    }

    @SuppressWarnings("unchecked")
    static <K, V> Map<K, V> copyOf(Map<K, V> source) {
        if (source instanceof FrozenMap) {
            return source;
        }
        if (source.isEmpty()) {
            return (Map<K, V>) EMPTY;
        }
        return new FrozenMap<>(new LinkedHashMap<>(source));
    }

    @Override
    public V get(Object key) {
        return map.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return map.containsKey(key);
    }

    @Override
    public int size() {
        return map.size();
    }

    @Override
    public Set<Entry<K, V>> entrySet() {
        return Collections.unmodifiableMap(map).entrySet();
    }

    @Override
    public Set<K> keySet() {
        return Collections.unmodifiableSet(map.keySet());
    }
}
