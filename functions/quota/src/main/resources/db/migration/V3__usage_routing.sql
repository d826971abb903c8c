-- Quality routing (gateway auto routes): the category a request was routed for, why, and what its
-- tokens would have cost on the route's strongest target (null for configured-order routes).
alter table usage_event add column route_category text;
alter table usage_event add column route_reason text;
alter table usage_event add column strongest_cost_usd numeric(20, 10);
