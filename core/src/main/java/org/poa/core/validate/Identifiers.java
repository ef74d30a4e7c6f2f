package org.poa.core.validate;

import java.util.regex.Pattern;

/**
 * Ids that other rows refer to and that end up in paths (a datanet's id names its n-gram index shard
 * files): short, and made of characters every file system and URL accepts as they are. A 400-character
 * id would make a shard file name longer than the 255 bytes file systems allow, and fail the attribute
 * step for every model.
 */
public final class Identifiers {

    public static final int MAX_LENGTH = 64;

    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");

    private Identifiers() {
    }

    public static boolean valid(String id) {
        return id != null && SHAPE.matcher(id).matches();
    }

    public static String check(String field, String id) throws Rejection {
        if (!valid(id)) {
            throw new Rejection(Reason.BAD_ID, field + ": '" + Addresses.abbreviate(id) + "' ("
                    + id.codePointCount(0, id.length()) + " characters) is not 1 to " + MAX_LENGTH
                    + " letters, digits, '.', '_' or '-' starting with a letter or digit");
        }
        return id;
    }
}
