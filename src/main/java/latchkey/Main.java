package latchkey;

import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import latchkey.auth.AbuseLimits;
import latchkey.auth.AccessFilter;
import latchkey.auth.AuthHandlers;
import latchkey.auth.AuthService;
import latchkey.auth.Authenticator;
import latchkey.auth.Passwords;
import latchkey.config.Config;
import latchkey.db.Database;
import latchkey.docs.ApiDocument;
import latchkey.docs.DocsPage;
import latchkey.events.EventBus;
import latchkey.http.ClientAddress;
import latchkey.http.FileLinks;
import latchkey.http.Cors;
import latchkey.http.HealthHandler;
import latchkey.http.JettyErrors;
import latchkey.http.Json;
import latchkey.http.Problems;
import latchkey.http.RequestBody;
import latchkey.http.RequestIds;
import latchkey.http.RequestLog;
import latchkey.http.Responses;
import latchkey.mail.MailQueue;
import latchkey.mail.MailWorker;
import latchkey.mail.Mailer;
import latchkey.messages.MessageEvent;
import latchkey.messages.MessageHandlers;
import latchkey.messages.MessageService;
import latchkey.realtime.Hub;
import latchkey.realtime.Limits;
import latchkey.realtime.RealtimeEndpoint;
import latchkey.realtime.RealtimeShutdown;
import latchkey.recovery.Recovery;
import latchkey.recovery.RecoveryHandlers;
import latchkey.recovery.RecoveryPages;
import latchkey.rooms.RoomEvent;
import latchkey.rooms.RoomHandlers;
import latchkey.rooms.RoomService;
import latchkey.sessions.AccessCache;
import latchkey.sessions.AccessChange;
import latchkey.sessions.AccessRelay;
import latchkey.sessions.Housekeeping;
import latchkey.sessions.SessionHandlers;
import latchkey.sessions.SessionService;
import latchkey.tokens.AccessTokens;
import latchkey.tokens.JwtSecret;
import latchkey.uploads.LocalFileStore;
import latchkey.uploads.SignedUrls;
import latchkey.uploads.UploadHandlers;
import latchkey.uploads.UploadService;
import latchkey.users.AdminHandlers;
import latchkey.users.UserHandlers;
import latchkey.users.UserService;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.component.LifeCycle;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static io.javalin.apibuilder.ApiBuilder.delete;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.patch;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;
import static io.javalin.apibuilder.ApiBuilder.put;
import static io.javalin.apibuilder.ApiBuilder.ws;
import static latchkey.auth.Access.ADMIN;
import static latchkey.auth.Access.PUBLIC;
import static latchkey.auth.Access.USER;

/**
 * The map of the server: configuration -> database -> services -> routes. Every route is here,
 * with who may call it; a route is protected unless it says {@code PUBLIC}.
 */
public final class Main {
    /** Request headers up to 16 KiB are accepted; larger ones get 431 (a long JWT plus cookies fit easily). */
    static final int MAX_HEADER_BYTES = 16 * 1024;
    /** How long a stop waits for requests in flight (a queue of logins at full bcrypt cost) before it cuts them off. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private Main() {
    }

    public static void main(String[] args) {
        // The one-shot commands print their own one-line results; library logging would bury them.
        if (args.length > 0 && !args[0].equals("serve")) System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        int exitCode = Cli.run(args, System.out, System.err);
        if (exitCode != Cli.SERVING) System.exit(exitCode);
    }

    /** Builds the server over an open database, without starting it. */
    public static Javalin app(Config config, Database db, JwtSecret secret, Clock clock) {
        return app(config, db, secret, clock, new EventBus());
    }

    /** The same, publishing to {@code events}: tests listen there to what the features announce. */
    public static Javalin app(Config config, Database db, JwtSecret secret, Clock clock, EventBus events) {
        AccessCache accessCache = new AccessCache();
        events.subscribe(AccessChange.class, accessCache::apply);
        AccessTokens accessTokens = new AccessTokens(secret.bytes(), config.jwtIssuer(), config.accessTtl(), clock);
        Passwords passwords = new Passwords(config.bcryptCost(), config.hashingThreads(), config.bcryptMaxQueue());
        SessionService sessionService = new SessionService(db, accessTokens, accessCache, events, config.refreshTtl(), config.refreshReuseGrace(), clock);
        RoomService roomService = new RoomService(db, events, config.chatMaxRoomMembers(), clock);
        MessageService messageService = new MessageService(db, roomService, events,
                config.rateLimitEnabled() ? MessageService.sendLimit(config.chatMessagesPerMinute(), clock) : null, clock);
        SignedUrls signedUrls = new SignedUrls(secret.bytes(), config.publicUrl(), config.uploadsUrlTtl(), clock);
        UploadService uploadService = new UploadService(db, new LocalFileStore(config.uploadsDir()), roomService, sessionService, events,
                new UploadService.Limits(config.uploadsMaxBytes(), config.uploadsQuotaPerUser(), config.uploadsTypes()), clock);
        // A deleted message or room took its attachments' rows with it (in the same commit); their files go now.
        events.subscribe(MessageEvent.class, e -> {
            if (e.type().equals(MessageEvent.DELETED)) uploadService.removeTrashSoon();
        });
        events.subscribe(RoomEvent.Deleted.class, e -> uploadService.removeTrashSoon());
        // Messages first: their tombstones take numbers in rooms that the account's leaving may delete.
        // Uploads last: the tombstones already took the attachments with them; the rest (avatar, unsent) go then.
        UserService userService = new UserService(db, events, List.of(messageService, roomService, uploadService), clock);
        // Mail retries wait in real time, whatever clock the rest runs on (tests move theirs by hand).
        MailQueue mailQueue = new MailQueue(db, Clock.systemUTC());
        AbuseLimits abuseLimits = new AbuseLimits(config, db, clock);
        Recovery recovery = Recovery.of(config, db, userService, passwords, events, mailQueue, clock);
        AuthService authService = new AuthService(userService, sessionService, passwords, abuseLimits, recovery.verifications());
        MailWorker mailWorker = new MailWorker(mailQueue, recovery.mail(), Mailer.of(config),
                new MailWorker.Retry(config.mailRetryInitial(), config.mailRetryMax(), config.mailGiveUpAfter()));

        HealthHandler health = new HealthHandler(db);
        AuthHandlers auth = new AuthHandlers(authService, sessionService);
        UserHandlers users = new UserHandlers(userService);
        SessionHandlers sessions = new SessionHandlers(sessionService);
        AdminHandlers admin = new AdminHandlers(userService);
        RoomHandlers rooms = new RoomHandlers(roomService, config.chatMaxRoomMembers());
        MessageHandlers messages = new MessageHandlers(messageService, config.chatMaxMessageChars());
        UploadHandlers uploads = new UploadHandlers(uploadService, userService, signedUrls, clock);
        RecoveryHandlers recoveryApi = new RecoveryHandlers(recovery);
        RecoveryPages recoveryPages = RecoveryPages.load(recovery, config.productName());
        Authenticator authenticator = new Authenticator(accessTokens, sessionService);
        AccessFilter accessFilter = new AccessFilter(authenticator);
        Limits realtimeLimits = Limits.of(config);
        Hub hub = new Hub(realtimeLimits, signedUrls, clock);
        hub.listenTo(events);
        RealtimeEndpoint realtime = new RealtimeEndpoint(hub, authenticator, roomService, messageService, signedUrls, realtimeLimits, clock);
        Cors cors = new Cors(config.corsOrigins());
        ApiDocument openApi = ApiDocument.load(ApiDocument.OPENAPI);
        ApiDocument asyncApi = ApiDocument.load(ApiDocument.ASYNCAPI);
        RequestLog requestLog = new RequestLog();

        return Javalin.create(app -> {
            app.startup.showJavalinBanner = false;
            app.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            app.http.maxRequestSize = RequestBody.MAX_BYTES;
            app.http.prefer405over404 = true;
            app.contextResolver.ip = ctx -> ClientAddress.of(ctx, config.trustProxy());
            app.requestLogger.http(requestLog::log);
            Housekeeping housekeeping = new Housekeeping(db, sessionService, new Housekeeping.Task("ended abuse-limit windows", abuseLimits::prune));
            app.events.serverStarted(housekeeping::start);
            app.events.serverStopped(housekeeping::stop);
            app.events.serverStopped(passwords::close);
            app.events.serverStopped(requestLog::close);
            app.events.serverStarted(uploadService.housekeeping()::start);
            app.events.serverStopped(uploadService.housekeeping()::stop);
            app.events.serverStarted(mailWorker::start);
            app.events.serverStopped(mailWorker::stop);
            // Before the first request: from then on, what another node on the same PostgreSQL ends is heard here.
            AccessRelay accessRelay = new AccessRelay(db, events, clock);
            app.events.serverStarting(accessRelay::start);
            app.events.serverStopped(accessRelay::stop);
            app.events.serverStarting(hub::start);
            app.events.serverStopped(hub::stop);
            app.jetty.modifyHttpConfiguration(http -> {
                http.setRequestHeaderSize(MAX_HEADER_BYTES);
                // Jetty's per-connection cache of header lines would hold each client's whole
                // Authorization line and walk a 64 KB trie through the token on every request.
                http.setHeaderCacheSize(0);
            });
            app.jetty.modifyServer(server -> {
                server.setErrorHandler(new JettyErrors());
                GracefulHandler requests = gracefulStop();
                server.insertHandler(requests);
                server.addBean(new RealtimeShutdown(requests, hub));
                server.setStopTimeout(STOP_TIMEOUT.toMillis());
                server.addEventListener(acceptQueue(config.acceptQueue()));
            });
            app.jetty.modifyWebSocketServletFactory(sockets -> {
                sockets.setMaxTextMessageSize(RealtimeEndpoint.MAX_FRAME_BYTES);
                sockets.setMaxBinaryMessageSize(RealtimeEndpoint.MAX_FRAME_BYTES);
                // Jetty's default closes a socket after 30 s without traffic; the pings keep a quiet one open.
                sockets.setIdleTimeout(realtimeLimits.pingInterval().multipliedBy(3));
            });
            app.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JettyErrors()));
            Problems.install(app);

            // A thread's links belong to the request it handles; none carry over from the one before.
            app.routes.before(ctx -> FileLinks.bind(null));
            app.routes.before(RequestIds::assign);
            app.routes.before(Responses::secureHeaders);
            app.routes.before(cors::apply);
            app.routes.before(RequestBody::requireKnownCharset);
            app.routes.beforeMatched(accessFilter);
            app.routes.beforeMatched(signedUrls::bindViewer);
            app.routes.after(Responses::noContentType);
            app.routes.after(ctx -> FileLinks.bind(null));

            app.routes.apiBuilder(() -> {
                get("/health", health::check, PUBLIC);
                // Authenticated by its first frame: browsers can not set headers on a WebSocket.
                ws("/ws", realtime::configure, PUBLIC);
                get("/openapi.json", openApi::serve, PUBLIC);
                get("/asyncapi.json", asyncApi::serve, PUBLIC);
                if (config.docsEnabled()) {
                    DocsPage docs = DocsPage.load();
                    path("/docs", () -> {
                        get(docs::page, PUBLIC);
                        get("/{asset}", docs::asset, PUBLIC);
                    });
                }
                path("/auth", () -> {
                    post("/register", auth::register, PUBLIC);
                    post("/login", auth::login, PUBLIC);
                    post("/refresh", auth::refresh, PUBLIC);
                    post("/logout", auth::logout, PUBLIC);
                    post("/logout-all", auth::logoutAll, USER);
                    post("/password-reset", recoveryApi::requestReset, PUBLIC);
                    post("/password-reset/confirm", recoveryApi::confirmReset, PUBLIC);
                    post("/verify-email", recoveryApi::verifyEmail, PUBLIC);
                    post("/confirm-email-change", recoveryApi::confirmEmailChange, PUBLIC);
                });
                // The pages the mailed links open when they do not point at the app.
                get("/reset-password", recoveryPages::resetForm, PUBLIC);
                post("/reset-password", recoveryPages::resetSubmit, PUBLIC);
                get("/verify-email", recoveryPages::verifyForm, PUBLIC);
                post("/verify-email", recoveryPages::verifySubmit, PUBLIC);
                path("/users", () -> {
                    get(users::search, USER);
                    get("/me", users::me, USER);
                    patch("/me", users::updateMe, USER);
                    delete("/me", auth::deleteAccount, USER);
                    post("/me/password", auth::changePassword, USER);
                    post("/me/email", recoveryApi::requestEmailChange, USER);
                    post("/me/verify-email", recoveryApi::resendVerification, USER);
                    put("/me/avatar", uploads::setAvatar, USER);
                    delete("/me/avatar", uploads::removeAvatar, USER);
                    get("/me/sessions", sessions::list, USER);
                    delete("/me/sessions/{id}", sessions::end, USER);
                    get("/{id}", users::profile, USER);
                });
                path("/uploads", () -> {
                    post(uploads::upload, USER);
                    get("/{id}", uploads::get, USER);
                });
                // Signed links: what an <img> loads, without an Authorization header.
                get("/files/{id}", uploads::signed, PUBLIC);
                path("/admin/users", () -> {
                    get(admin::list, ADMIN);
                    patch("/{id}", admin::update, ADMIN);
                    delete("/{id}", admin::delete, ADMIN);
                });
                path("/rooms", () -> {
                    get(rooms::list, USER);
                    post(rooms::create, USER);
                    post("/direct", rooms::openDirect, USER);
                    get("/{id}", rooms::get, USER);
                    patch("/{id}", rooms::update, USER);
                    delete("/{id}", rooms::delete, USER);
                    post("/{id}/join", rooms::join, USER);
                    post("/{id}/leave", rooms::leave, USER);
                    get("/{id}/members", rooms::members, USER);
                    put("/{id}/members/{user_id}", rooms::putMember, USER);
                    delete("/{id}/members/{user_id}", rooms::removeMember, USER);
                    get("/{id}/messages", messages::page, USER);
                    post("/{id}/messages", messages::send, USER);
                    get("/{id}/messages/{message_id}", messages::get, USER);
                    patch("/{id}/messages/{message_id}", messages::edit, USER);
                    delete("/{id}/messages/{message_id}", messages::delete, USER);
                    put("/{id}/read", messages::markRead, USER);
                    post("/{id}/typing", messages::typing, USER);
                });
            });
        });
    }

    /**
     * Sets the listen backlog before the connector opens: a reconnect storm (every client of a
     * restarted server at once) must queue, not get connection resets.
     */
    private static LifeCycle.Listener acceptQueue(int size) {
        return new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle event) {
                for (Connector connector : ((Server) event).getConnectors()) {
                    if (connector instanceof ServerConnector server) server.setAcceptQueueSize(size);
                }
            }
        };
    }

    /**
     * Makes a stop graceful: the port closes at once, requests in flight finish, new requests on
     * connections already open get 503. Idle keep-alive connections close 100 ms into the stop
     * rather than after Jetty's default second, so a stop does not wait on clients that send nothing.
     */
    private static GracefulHandler gracefulStop() {
        GracefulHandler graceful = new GracefulHandler();
        graceful.setShutdownIdleTimeout(100);
        return graceful;
    }
}
