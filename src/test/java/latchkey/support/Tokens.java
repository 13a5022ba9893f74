package latchkey.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.Base64;

/** Reads a JWT's parts without verifying it: tests look at what the server signed. */
public final class Tokens {
    private Tokens() {
    }

    public static JsonNode payload(String jwt) {
        return part(jwt, 1);
    }

    public static JsonNode header(String jwt) {
        return part(jwt, 0);
    }

    private static JsonNode part(String jwt, int index) {
        try {
            return Api.JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[index]));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
