package latchkey.users;

import latchkey.http.ApiException;
import latchkey.http.Text;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Cursor paging over users in id order: {@code after} is the last id of the previous page, sent
 * back to the client as the opaque string {@code next}.
 */
public record Page(String q, int limit, long after) {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    /** Parses the query parameters, reporting every bad one at once. */
    public static Page parse(String q, String limit, String after) {
        Map<String, String> errors = new LinkedHashMap<>();
        int parsedLimit = DEFAULT_LIMIT;
        if (limit != null) {
            try {
                parsedLimit = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                parsedLimit = -1;
            }
            if (parsedLimit < 1 || parsedLimit > MAX_LIMIT) errors.put("limit", "must be a whole number from 1 to " + MAX_LIMIT);
        }
        long parsedAfter = 0;
        if (after != null && !after.isEmpty()) {
            try {
                parsedAfter = Long.parseLong(after);
            } catch (NumberFormatException e) {
                parsedAfter = -1;
            }
            if (parsedAfter < 1) errors.put("after", "must be a cursor returned as next");
        }
        if (q != null && (q.length() > 100 || q.chars().anyMatch(Character::isISOControl))) {
            errors.put("q", "must be at most 100 characters, without control characters");
        }
        if (!errors.isEmpty()) throw ApiException.validation(errors);
        return new Page(q == null || q.isEmpty() ? null : UserFields.key(q), parsedLimit, parsedAfter);
    }

    /** The exclusive upper bound of the prefix range. */
    public String upperBound() {
        return Text.prefixUpperBound(q);
    }

    /** The wire shape of a page of results; {@code next} is null on the last page. */
    public record Result<T>(List<T> users, String next) {
    }

    /** Fetches one row more than asked to know whether another page follows. */
    public int fetchSize() {
        return limit + 1;
    }

    public <T> Result<T> result(List<T> rows, ToLongFunction<T> id) {
        if (rows.size() <= limit) return new Result<>(rows, null);
        List<T> page = rows.subList(0, limit);
        return new Result<>(List.copyOf(page), Long.toString(id.applyAsLong(page.get(limit - 1))));
    }
}
