package dev.spillway.quota.store;

import io.vertx.mutiny.sqlclient.Tuple;

/** Statement parameters that may be null, which {@code Tuple.of} does not take beyond six. */
final class Params {

  private Params() {}

  static Tuple of(Object... values) {
    Tuple tuple = Tuple.tuple();
    for (Object value : values) {
      tuple.addValue(value);
    }
    return tuple;
  }
}
