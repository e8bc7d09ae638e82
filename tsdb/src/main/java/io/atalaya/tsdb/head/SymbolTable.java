package io.atalaya.tsdb.head;

import io.atalaya.model.Labels;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Interns label names and values so that a million series with the same {@code job="node"} hold one string.
 * Thread-safe. Rebuilt from the live series when the head is truncated, so symbols of removed series go away.
 */
final class SymbolTable {
    private volatile ConcurrentHashMap<String, String> symbols = new ConcurrentHashMap<>();

    String intern(String s) {
        ConcurrentHashMap<String, String> m = symbols;
        String prev = m.putIfAbsent(s, s);
        return prev == null ? s : prev;
    }

    /**
     * Makes {@code labels} hold interned strings, in place, and returns it: the store then keeps the caller's
     * instance, which decoders also keep in their series caches, instead of a copy of its own.
     */
    Labels adopt(Labels labels) {
        labels.shareStrings(this::intern);
        return labels;
    }

    /** The same label set built from interned strings. */
    Labels intern(Labels labels) {
        String[] nv = new String[labels.size() * 2];
        for (int i = 0; i < labels.size(); i++) {
            nv[2 * i] = intern(labels.name(i));
            nv[2 * i + 1] = intern(labels.value(i));
        }
        return Labels.of(nv);
    }

    int size() {
        return symbols.size();
    }

    /** Replaces the table with one holding only the symbols of {@code live}. */
    void rebuild(Iterable<Labels> live) {
        ConcurrentHashMap<String, String> m = new ConcurrentHashMap<>();
        for (Labels l : live) {
            for (int i = 0; i < l.size(); i++) {
                m.putIfAbsent(l.name(i), l.name(i));
                m.putIfAbsent(l.value(i), l.value(i));
            }
        }
        symbols = m;
    }
}
