-- A window's reservoir is scored whole (up to drift.scoring.max-samples a side), so it is bounded
-- at 10,000 samples: a report's kernel matrix grows with the square of what it scores.
update tenant set reservoir_size = 10000 where reservoir_size > 10000;
alter table tenant drop constraint tenant_reservoir_size_check;
alter table tenant add constraint tenant_reservoir_size_check
  check (reservoir_size between 10 and 10000);
