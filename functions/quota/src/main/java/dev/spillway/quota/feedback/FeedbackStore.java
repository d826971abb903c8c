package dev.spillway.quota.feedback;

import dev.spillway.quota.api.QuotaException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/**
 * Feedback on routed requests, and the per-category sums every gateway's quality estimate is
 * computed from. A request is judged only by the tenant whose usage event names it; judging it
 * again replaces the earlier score. Non-blocking; thread-safe.
 */
@Singleton
public class FeedbackStore {

  private final Pool pool;

  public FeedbackStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Records a tenant's score for one of its requests.
   *
   * @throws QuotaException 404 (as a failed Uni) when the tenant has no such request, including
   *     another tenant's: the same answer, so that ids cannot be probed
   */
  public Uni<FeedbackResponse> record(FeedbackRequest feedback) {
    return pool.preparedQuery(
            "select route, route_category, model from usage_event where tenant = $1 and"
                + " request_id = $2 limit 1")
        .execute(Tuple.of(feedback.tenant(), feedback.requestId()))
        .flatMap(
            rows -> {
              RowIterator<Row> found = rows.iterator();
              if (!found.hasNext()) {
                throw QuotaException.notFound(
                    "No request '"
                        + feedback.requestId()
                        + "' of this tenant (feedback is accepted once its usage is recorded,"
                        + " seconds after the answer).");
              }
              Row row = found.next();
              String route = row.getString("route");
              String category = row.getString("route_category");
              String model = row.getString("model");
              return pool.preparedQuery(
                      "insert into routing_feedback (request_id, tenant, route, category, model,"
                          + " score, comment, source) values ($1, $2, $3, $4, $5, $6, $7, $8) on"
                          + " conflict (request_id, source) do update set score = excluded.score,"
                          + " comment = excluded.comment, received_at = now()")
                  .execute(
                      Tuple.tuple()
                          .addValue(feedback.requestId())
                          .addValue(feedback.tenant())
                          .addValue(route)
                          .addValue(category)
                          .addValue(model)
                          .addValue(feedback.score())
                          .addValue(feedback.comment())
                          .addValue(feedback.source()))
                  .map(
                      done ->
                          new FeedbackResponse(
                              feedback.requestId(), route, category, model, feedback.score()));
            });
  }

  /** Feedback counts and score sums per route, category and model over the last {@code days}. */
  public Uni<List<CategoryQuality>> quality(int days) {
    return pool.preparedQuery(
            "select route, category, model, source, count(*) as feedback, sum(score) as"
                + " score_sum from routing_feedback where category is not null and received_at >"
                + " now() - make_interval(days => $1) group by route, category, model, source"
                + " order by route, category, model, source")
        .execute(Tuple.of(days))
        .map(
            rows -> {
              List<CategoryQuality> result = new ArrayList<>();
              for (Row row : rows) {
                result.add(
                    new CategoryQuality(
                        row.getString("route"),
                        row.getString("category"),
                        row.getString("model"),
                        row.getString("source"),
                        row.getLong("feedback"),
                        row.getDouble("score_sum")));
              }
              return result;
            });
  }
}
