package org.cairndb.storage;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a transaction says about itself: user, description and extension bytes (ZODB keeps
 * a pickled dict there; Cairn keeps the bytes as given). Empty strings and an empty array
 * stand for "none"; never null.
 */
public record TransactionMetadata(String user, String description, byte[] extension) {
    public static final TransactionMetadata EMPTY = new TransactionMetadata("", "", new byte[0]);

    public TransactionMetadata {
        user = Objects.requireNonNullElse(user, "");
        description = Objects.requireNonNullElse(description, "");
        extension = extension == null ? new byte[0] : extension;
    }

    public static TransactionMetadata of(String user, String description) {
        return new TransactionMetadata(user, description, new byte[0]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransactionMetadata m
                && m.user.equals(user)
                && m.description.equals(description)
                && Arrays.equals(m.extension, extension);
    }

    @Override
    public int hashCode() {
        return Objects.hash(user, description, Arrays.hashCode(extension));
    }

    @Override
    public String toString() {
        return "TransactionMetadata[user=" + user + ", description=" + description + ", extension=" + extension.length
                + " bytes]";
    }
}
