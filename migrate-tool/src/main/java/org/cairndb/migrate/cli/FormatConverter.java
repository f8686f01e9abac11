package org.cairndb.migrate.cli;

import org.cairndb.migrate.FileFormat;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code cairn} / {@code zodb-filestorage} → {@link FileFormat}, with the known names in the error. */
final class FormatConverter implements ITypeConverter<FileFormat> {
    @Override
    public FileFormat convert(String value) {
        try {
            return FileFormat.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
