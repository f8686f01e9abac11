package org.cairndb.client.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.cairndb.client.Persistent;

/** A small persistent class for the object layer's tests, written with the accessor pattern. */
public class Item extends Persistent {
    private String name;
    private int qty;
    private Item parent;
    private List<String> tags = new ArrayList<>();
    private Instant created = Instant.parse("2026-01-02T03:04:05Z");
    private Kind kind = Kind.PLAIN;
    private Object extra;

    public enum Kind {
        PLAIN,
        FANCY
    }

    public Item() {}

    public Item(String name, int qty) {
        this.name = name;
        this.qty = qty;
    }

    public String name() {
        activate();
        return name;
    }

    public void name(String n) {
        changing();
        name = n;
    }

    public int qty() {
        activate();
        return qty;
    }

    public void qty(int q) {
        changing();
        qty = q;
    }

    public Item parent() {
        activate();
        return parent;
    }

    public void parent(Item p) {
        changing();
        parent = p;
    }

    public List<String> tags() {
        activate();
        return tags;
    }

    public void tag(String t) {
        activate();
        tags.add(t);
        changed();
    }

    public Instant created() {
        activate();
        return created;
    }

    public Kind kind() {
        activate();
        return kind;
    }

    public void kind(Kind k) {
        changing();
        kind = k;
    }

    public Object extra() {
        activate();
        return extra;
    }

    public void extra(Object e) {
        changing();
        extra = e;
    }
}
