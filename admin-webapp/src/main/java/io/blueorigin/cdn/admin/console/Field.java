package io.blueorigin.cdn.admin.console;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One input of a {@link Block.Form}: {@code type} is {@code text}, {@code password}, {@code number},
 * {@code textarea}, {@code checkbox}, {@code select} or {@code hidden}; {@code error} is shown next to it
 * ({@code aria-describedby}, {@code aria-invalid}).
 */
public record Field(String name, String label, String type, String value, List<String> options, String hint,
        @Nullable String error, boolean required) {
    public Field {
        options = List.copyOf(options);
    }

    public static Field text(String name, String label, String value, String hint, @Nullable String error) {
        return new Field(name, label, "text", value, List.of(), hint, error, false);
    }

    public static Field textarea(String name, String label, String value, String hint, @Nullable String error) {
        return new Field(name, label, "textarea", value, List.of(), hint, error, false);
    }

    public static Field checkbox(String name, String label, boolean checked, String hint) {
        return new Field(name, label, "checkbox", checked ? "on" : "", List.of(), hint, null, false);
    }

    public static Field select(String name, String label, String value, List<String> options, String hint,
            @Nullable String error) {
        return new Field(name, label, "select", value, options, hint, error, false);
    }

    public static Field password(String name, String label, String hint, @Nullable String error) {
        return new Field(name, label, "password", "", List.of(), hint, error, true);
    }

    public static Field hidden(String name, String value) {
        return new Field(name, "", "hidden", value, List.of(), "", null, false);
    }

    public boolean checked() {
        return type.equals("checkbox") && value.equals("on");
    }
}
