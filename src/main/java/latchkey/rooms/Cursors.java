package latchkey.rooms;

import latchkey.http.QueryParams;

import java.util.Optional;

/**
 * The positions behind the opaque {@code next} cursors of room and member lists: where the last
 * page ended, in the list's order. A cursor that does not decode to one is a bad parameter.
 */
final class Cursors {
    /** A position in a list ordered by a number (activity or join time), then an id. */
    record Position(long at, long id) {
        String encode() {
            return QueryParams.cursorOf(at + ":" + id);
        }
    }

    /** A position in the directory, ordered by lower-cased name, then id. */
    record NamePosition(String key, long id) {
        String encode() {
            return QueryParams.cursorOf(id + "\n" + key);
        }
    }

    private Cursors() {
    }

    static Optional<Position> position(String decoded) {
        int colon = decoded.indexOf(':');
        if (colon < 0) return Optional.empty();
        try {
            return Optional.of(new Position(Long.parseLong(decoded.substring(0, colon)), Long.parseLong(decoded.substring(colon + 1))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static Optional<NamePosition> namePosition(String decoded) {
        int newline = decoded.indexOf('\n');
        if (newline < 0) return Optional.empty();
        try {
            return Optional.of(new NamePosition(decoded.substring(newline + 1), Long.parseLong(decoded.substring(0, newline))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
