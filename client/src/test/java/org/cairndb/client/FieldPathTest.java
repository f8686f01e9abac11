package org.cairndb.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cairndb.client.model.Item;
import org.junit.jupiter.api.Test;

/** The reflective search behind the dangling-reference message, on its own. */
class FieldPathTest {

    static class Shelf extends Persistent {
        Item direct;
        List<Item> list = new ArrayList<>();
        Map<String, Object> byName = new LinkedHashMap<>();
        Object[] array = new Object[3];
        Item viaOther; // holds a persistent that itself holds the target: not followed
        static Item shared;
    }

    static class BigShelf extends Shelf {
        int count;
    }

    private final Item target = new Item("target", 1);

    @Test
    void names_a_direct_field() {
        Shelf s = new Shelf();
        s.direct = target;
        assertThat(FieldPath.find(s, target)).isEqualTo("Shelf.direct");
    }

    @Test
    void indexes_into_lists_arrays_and_maps_and_nests() {
        Shelf s = new Shelf();
        s.list.add(new Item("other", 2));
        s.list.add(target);
        assertThat(FieldPath.find(s, target)).isEqualTo("Shelf.list[1]");

        Shelf a = new Shelf();
        a.array[2] = target;
        assertThat(FieldPath.find(a, target)).isEqualTo("Shelf.array[2]");

        Shelf m = new Shelf();
        m.byName.put("dune", List.of((Object) new Object[] {"x", target}));
        assertThat(FieldPath.find(m, target)).isEqualTo("Shelf.byName[dune][0][1]");
    }

    @Test
    void finds_fields_of_superclasses_named_after_the_holder() {
        BigShelf s = new BigShelf();
        s.direct = target;
        assertThat(FieldPath.find(s, target)).isEqualTo("BigShelf.direct");
    }

    @Test
    void does_not_enter_other_persistent_objects_static_fields_or_go_deeper_than_three_levels() {
        Shelf s = new Shelf();
        Item middle = new Item("middle", 3);
        middle.parent(target);
        s.viaOther = middle;
        Shelf.shared = target;
        try {
            assertThat(FieldPath.find(s, target)).isNull();
        } finally {
            Shelf.shared = null;
        }
        Shelf deep = new Shelf();
        deep.byName.put("a", List.of(List.of(List.of(List.of(target)))));
        assertThat(FieldPath.find(deep, target)).isNull();
        Shelf three = new Shelf();
        three.byName.put("a", List.of(List.of(List.of(target))));
        assertThat(FieldPath.find(three, target)).isEqualTo("Shelf.byName[a][0][0][0]");
    }
}
