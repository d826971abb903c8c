package dev.spillway.drift.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.drift.api.DriftError;
import dev.spillway.drift.api.DriftException;
import dev.spillway.drift.config.DriftConfig;
import dev.spillway.quota.keys.KeyLookupRequest;
import dev.spillway.quota.keys.KeyLookupResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns an {@code Authorization: Bearer <key>} header into a {@link Caller}. The admin key is
 * compared by SHA-256 with {@code drift.admin-key-hash}; any other key is a tenant key, which the
 * quota function owns: it is looked up there by hash ({@code POST /keys/lookup}) and the answer
 * cached for {@code drift.quota.key-cache-ttl}. Plain keys are hashed at once and never logged or
 * kept. Thread-safe.
 */
@Singleton
public class Authenticator {

  private record Cached(String tenant, long untilNanos) {}

  /** Most cached look-ups: random keys must not grow the cache without bound. */
  static final int MAX_CACHED = 10_000;

  private final String adminHash;
  private final WebClient quota;
  private final String quotaPath;
  private final String serviceKey;
  private final long cacheNanos;
  private final ObjectMapper mapper;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public Authenticator(DriftConfig config, Vertx vertx, ObjectMapper mapper) {
    this.adminHash = config.adminKeyHash().orElse("");
    this.mapper = mapper;
    this.cacheNanos = config.quota().keyCacheTtl().toNanos();
    this.serviceKey = config.quota().serviceKey().orElse("");
    if (config.quota().url().isPresent()) {
      URI url = config.quota().url().get();
      boolean tls = "https".equalsIgnoreCase(url.getScheme());
      this.quota =
          WebClient.create(
              vertx,
              new WebClientOptions()
                  .setSsl(tls)
                  .setDefaultHost(url.getHost())
                  .setDefaultPort(url.getPort() > 0 ? url.getPort() : (tls ? 443 : 80))
                  .setConnectTimeout(2_000));
      String path = url.getRawPath() == null ? "" : url.getRawPath();
      this.quotaPath = (path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
    } else {
      this.quota = null;
      this.quotaPath = "";
    }
  }

  /** The admin or a tenant; fails with 401 for a missing or unknown key. */
  public Uni<Caller> caller(String authorization) {
    String hash;
    try {
      hash = hashOf(authorization);
    } catch (DriftException e) {
      return Uni.createFrom().failure(e);
    }
    if (!adminHash.isEmpty() && same(hash, adminHash)) {
      return Uni.createFrom().item(Caller.ADMIN);
    }
    Cached cached = cache.get(hash);
    long now = System.nanoTime();
    if (cached != null && now - cached.untilNanos < 0) {
      return cached.tenant == null
          ? Uni.createFrom().failure(unauthorized())
          : Uni.createFrom().item(new Caller(cached.tenant));
    }
    if (quota == null) {
      return Uni.createFrom().failure(unauthorized());
    }
    return quota
        .post(quotaPath + "/keys/lookup")
        .timeout(5_000)
        .putHeader("authorization", "Bearer " + serviceKey)
        .sendJson(JsonObject.mapFrom(new KeyLookupRequest(hash)))
        .onFailure()
        .transform(
            failure ->
                new DriftException(
                    DriftError.DEPENDENCY_UNAVAILABLE,
                    "The quota function, which resolves tenant keys, did not answer."))
        .map(
            response -> {
              if (response.statusCode() == 404) {
                remember(hash, null);
                throw unauthorized();
              }
              if (response.statusCode() / 100 != 2) {
                throw new DriftException(
                    DriftError.DEPENDENCY_UNAVAILABLE,
                    "The quota function answered " + response.statusCode() + " to a key look-up.");
              }
              KeyLookupResponse found;
              try {
                found = mapper.readValue(response.body().getBytes(), KeyLookupResponse.class);
              } catch (java.io.IOException e) {
                throw new DriftException(
                    DriftError.DEPENDENCY_UNAVAILABLE,
                    "The quota function's key look-up answer is unreadable.");
              }
              if (found.tenant() == null || found.tenant().isBlank()) {
                // Never a tenant-less caller: that is the admin.
                throw new DriftException(
                    DriftError.DEPENDENCY_UNAVAILABLE,
                    "The quota function's key look-up named no tenant.");
              }
              remember(hash, found.tenant());
              return new Caller(found.tenant());
            });
  }

  /** The admin, or a failure (401 for an unknown key, 403 for a tenant key). */
  public Uni<Caller> admin(String authorization) {
    return caller(authorization).invoke(Caller::requireAdmin);
  }

  private void remember(String hash, String tenant) {
    long now = System.nanoTime();
    if (cache.size() >= MAX_CACHED) {
      cache.values().removeIf(c -> now - c.untilNanos >= 0);
      if (cache.size() >= MAX_CACHED) {
        cache.clear();
      }
    }
    cache.put(hash, new Cached(tenant, now + cacheNanos));
  }

  @PreDestroy
  void close() {
    if (quota != null) {
      quota.close();
    }
  }

  static String hashOf(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw unauthorized();
    }
    String key = authorization.substring(7).trim();
    if (key.isEmpty() || key.length() > 256) {
      throw unauthorized();
    }
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static boolean same(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }

  private static DriftException unauthorized() {
    return new DriftException(
        DriftError.UNAUTHORIZED, "Send a valid key as Authorization: Bearer <key>.");
  }
}
