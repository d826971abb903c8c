package dev.spillway.quota.it;

import static dev.spillway.quota.it.Quota.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Concurrent admin updates never lose a write: read-modify-write with If-Match and retries. */
@QuarkusTest
class ConcurrentAdminTest {

  private static final int WRITERS = 8;
  private static final int INCREMENTS_EACH = 5;

  @Test
  void concurrentBudgetIncrementsAreAllKept() throws Exception {
    String t = Quota.tenant(null);
    String path = "/admin/tenants/" + t + "/budgets/tokens-per-day";
    Quota.budget(path, 1000);
    runConcurrently(
        () -> {
          for (int i = 0; i < INCREMENTS_EACH; i++) {
            while (true) {
              Response current = admin().get(path);
              long limit = ((Number) current.path("limit")).longValue();
              Response put =
                  admin()
                      .header("If-Match", current.header("ETag"))
                      .body(Map.of("limit", limit + 1))
                      .put(path);
              if (put.statusCode() == 200) {
                break;
              }
              assertEquals(412, put.statusCode(), put.asString());
            }
          }
          return null;
        });
    long expected = 1000 + WRITERS * INCREMENTS_EACH;
    admin()
        .get(path)
        .then()
        .statusCode(200)
        .body("limit", org.hamcrest.Matchers.equalTo((int) expected));
    // The version counts every successful write: none was silently overwritten.
    admin().get(path).then().header("ETag", "\"" + (1 + WRITERS * INCREMENTS_EACH) + "\"");
  }

  @Test
  void concurrentTenantWeightIncrementsAreAllKept() throws Exception {
    String t = Quota.tenant(null);
    String path = "/admin/tenants/" + t;
    runConcurrently(
        () -> {
          for (int i = 0; i < INCREMENTS_EACH; i++) {
            while (true) {
              Response current = admin().get(path);
              int weight = current.path("weight");
              Response patch =
                  admin()
                      .header("If-Match", current.header("ETag"))
                      .body(Map.of("weight", weight + 1))
                      .patch(path);
              if (patch.statusCode() == 200) {
                break;
              }
              assertEquals(412, patch.statusCode(), patch.asString());
            }
          }
          return null;
        });
    admin()
        .get(path)
        .then()
        .body("weight", org.hamcrest.Matchers.equalTo(1 + WRITERS * INCREMENTS_EACH));
  }

  private static void runConcurrently(Callable<Void> writer) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    try {
      List<Future<Void>> futures = new ArrayList<>();
      for (int i = 0; i < WRITERS; i++) {
        futures.add(pool.submit(writer));
      }
      for (Future<Void> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
