package latchkey.auth;

import io.javalin.security.RouteRole;

/** Who may call a route. A route with no role is treated as {@link #USER}: protected unless marked public. */
public enum Access implements RouteRole {
    PUBLIC, USER, ADMIN
}
