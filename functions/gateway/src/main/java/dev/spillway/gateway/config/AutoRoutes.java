package dev.spillway.gateway.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.gateway.routing.AutoRouting;
import dev.spillway.gateway.routing.quality.ClassifyClient;
import dev.spillway.routing.model.RouterFile;
import dev.spillway.routing.model.RouterModel;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds an {@code auto} route's quality routing from its configuration: loads and validates its
 * router file, and checks that every category its floors and default name is one the router was
 * calibrated for (a typo would otherwise silently send that category to the strongest target).
 * Stops the start with the key's name on any problem. Stateless.
 */
final class AutoRoutes {

  private AutoRoutes() {}

  /** The prefix of a router shipped inside the application ({@code classpath:routers/…}). */
  static final String CLASSPATH = "classpath:";

  /** A router file from the file system, or from the class path with {@code classpath:}. */
  static RouterModel read(String location) {
    if (!location.startsWith(CLASSPATH)) {
      return RouterFile.read(Path.of(location));
    }
    String resource = location.substring(CLASSPATH.length());
    try (InputStream in =
        Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException(
            "router file " + location + " refused: no such resource on the class path");
      }
      return RouterFile.read(in.readAllBytes(), location);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "router file " + location + " refused: cannot be read (" + e.getMessage() + ")");
    }
  }

  /** Null for a route without {@code auto.router}. */
  static AutoRouting of(
      String name, GatewayConfig.RouteConfig route, Vertx vertx, ObjectMapper mapper) {
    GatewayConfig.Auto auto = route.auto();
    if (auto.router().isEmpty()) {
      return null;
    }
    String prefix = "gateway.routes.\"" + name + "\".auto";
    RouterModel router;
    try {
      router = read(auto.router().get());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(prefix + ".router: " + e.getMessage());
    }
    List<String> problems = new ArrayList<>();
    for (String category : auto.floors().keySet()) {
      if (!router.categories().contains(category)) {
        problems.add(
            prefix + ".floors.\"" + category + "\" names a category the router does not know");
      }
    }
    auto.defaultCategory()
        .filter(c -> !router.categories().contains(c))
        .ifPresent(
            c ->
                problems.add(
                    prefix + ".default-category '" + c + "' is not a category the router knows"));
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "Invalid gateway configuration:\n  - "
              + String.join("\n  - ", problems)
              + "\n  (the router knows "
              + router.categories().size()
              + " categories, e.g. "
              + String.join(", ", router.categories().stream().limit(5).toList())
              + ")");
    }
    // Lives as long as the application's Vert.x, which closes its clients when it stops.
    ClassifyClient classifier =
        auto.classifier().url().isEmpty()
            ? null
            : new ClassifyClient(
                vertx,
                auto.classifier().url().get(),
                auto.classifier().head(),
                auto.classifier().timeout(),
                mapper);
    return new AutoRouting(
        router,
        Map.copyOf(auto.floors()),
        auto.defaultFloor(),
        auto.defaultCategory(),
        classifier,
        auto.classifier().timeout(),
        auto.shadow().rate(),
        auto.shadow().maxUsdPerDay());
  }
}
