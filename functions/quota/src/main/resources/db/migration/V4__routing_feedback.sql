-- Feedback on quality-routed requests (the gateway's POST /v1/feedback): one row per request, the
-- latest score wins. The usage event's request id lets a tenant judge only its own requests.
alter table usage_event add column request_id text;
create index usage_event_request on usage_event (tenant, request_id);

create table routing_feedback (
    request_id  text             primary key,
    tenant      text             not null,
    route       text,
    category    text,
    model       text,
    score       double precision not null,
    comment     text,
    received_at timestamptz      not null default now()
);
create index routing_feedback_recent on routing_feedback (route, category, received_at);
