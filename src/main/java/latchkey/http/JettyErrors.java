package latchkey.http;

import org.eclipse.jetty.ee10.servlet.ErrorHandler;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Errors that Jetty answers before a request reaches Javalin (undecodable or ambiguous paths,
 * oversized headers, broken HTTP) in the same problem format as everything else, without
 * Jetty's HTML page.
 */
public final class JettyErrors extends ErrorHandler {
    private static final HttpField CONTENT_TYPE = new HttpField(HttpHeader.CONTENT_TYPE, Problem.CONTENT_TYPE);

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = request.getAttribute(ERROR_STATUS) instanceof Integer code ? code : response.getStatus();
        if (status < 400) status = 500;
        response.setStatus(status);
        response.getHeaders().put(CONTENT_TYPE);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.write(true, body(status), callback);
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(CONTENT_TYPE);
        fields.put("X-Content-Type-Options", "nosniff");
        return body(status);
    }

    private static ByteBuffer body(int status) {
        return ByteBuffer.wrap(Problems.toJson(Problem.of(Problems.fromStatus(status))).getBytes(StandardCharsets.UTF_8));
    }
}
