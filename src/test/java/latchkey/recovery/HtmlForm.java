package latchkey.recovery;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one form of a page, read from its HTML as a browser would submit it: method, action, and every named input. */
record HtmlForm(String method, URI action, Map<String, String> fields) {
    private static final Pattern FORM = Pattern.compile("<form\\b([^>]*)>(.*?)</form>", Pattern.DOTALL);
    private static final Pattern INPUT = Pattern.compile("<input\\b([^>]*)>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([a-z-]+)(?:=\"([^\"]*)\")?");

    static HtmlForm parse(String html, URI page) {
        Matcher form = FORM.matcher(html);
        if (!form.find()) throw new AssertionError("no form in:\n" + html);
        Map<String, String> attributes = attributes(form.group(1));
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher input = INPUT.matcher(form.group(2));
        while (input.find()) {
            Map<String, String> a = attributes(input.group(1));
            if (a.containsKey("name")) fields.put(a.get("name"), unescape(a.getOrDefault("value", "")));
        }
        return new HtmlForm(attributes.getOrDefault("method", "get"), page.resolve(unescape(attributes.getOrDefault("action", ""))), fields);
    }

    /** The fields, with some filled in, as application/x-www-form-urlencoded. */
    String encode(Map<String, String> filledIn) {
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.putAll(filledIn);
        StringJoiner body = new StringJoiner("&");
        all.forEach((k, v) -> body.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return body.toString();
    }

    private static Map<String, String> attributes(String text) {
        Map<String, String> found = new LinkedHashMap<>();
        Matcher m = ATTRIBUTE.matcher(text);
        while (m.find()) found.put(m.group(1), m.group(2) == null ? "" : m.group(2));
        return found;
    }

    private static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
