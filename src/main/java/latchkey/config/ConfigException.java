package latchkey.config;

/** A configuration value that can not be used; the message names the key and the problem. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String key, String problem) {
        super(key + ": " + problem);
    }
}
