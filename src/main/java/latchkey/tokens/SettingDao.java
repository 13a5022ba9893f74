package latchkey.tokens;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

import java.util.Optional;

/** Values generated once and shared by every node ({@code settings}). */
public interface SettingDao {
    /** The first value stored under a name stays: nodes that start at once agree on it. */
    @SqlUpdate("INSERT INTO settings (name, value) VALUES (:name, :value) ON CONFLICT (name) DO NOTHING")
    void insertIfAbsent(@Bind("name") String name, @Bind("value") String value);

    @SqlQuery("SELECT value FROM settings WHERE name = :name")
    Optional<String> find(@Bind("name") String name);
}
