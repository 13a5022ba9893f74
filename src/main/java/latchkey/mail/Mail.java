package latchkey.mail;

/**
 * One message to one address, in plain text and in HTML with the same content. {@code kind}
 * (such as {@code password-reset}) names what it is, for whoever looks at an outbox.
 */
public record Mail(String kind, String to, String subject, String text, String html) {
}
