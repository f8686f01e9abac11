package org.cairndb.remote;

/** A record the cache holds: the current revision of {@code oid} as of the client's last tid. */
record CachedRecord(long oid, long tid, byte[] data) {}
