package org.cairndb.client.btree;

/** Key comparison for the tree's nodes (keys are Comparable; null keys are refused). */
final class Keys {
    private Keys() {}

    @SuppressWarnings("unchecked")
    static int cmp(Object a, Object b) {
        return ((Comparable<Object>) a).compareTo(b);
    }

    static Object require(Object key) {
        if (key == null) throw new NullPointerException("BTreeMap keys cannot be null");
        if (!(key instanceof Comparable)) {
            throw new ClassCastException(
                    "BTreeMap key " + key + " of " + key.getClass().getName() + " is not Comparable");
        }
        return key;
    }
}
