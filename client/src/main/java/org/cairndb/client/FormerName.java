package org.cairndb.client;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A name under which records were stored before a rename, so they stay readable.
 *
 * <p>On a class ({@code @FormerName("old.pkg.Book")}, the old binary name): records and
 * values stored under the old class name are read as this class. The database learns it
 * from the classes it is told of ({@link Database.Builder#persistentClasses}) and from every
 * class it serializes or loads (for connections opened after that); a class renamed
 * <em>and</em> not yet met by the database is not found: name it to the builder, or use
 * {@link Database.Builder#renamedClass}.
 *
 * <p>On a field ({@code @FormerName("oldField")}): a stored value of the old field name fills
 * this field. Repeatable, for a class or field renamed more than once. The next store of an
 * object writes the new names.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.FIELD})
@Repeatable(FormerName.List.class)
public @interface FormerName {
    /** The old binary class name ({@code old.pkg.Outer$Inner}) or the old field name. */
    String value();

    /** The container of repeated {@link FormerName}s. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.FIELD})
    @interface List {
        FormerName[] value();
    }
}
