package latchkey.db;

/** DAOs attached to one handle, each at most once: a reader connection's, or a {@link Tx}'s. */
public interface Daos {
    <D> D dao(Class<D> type);
}
