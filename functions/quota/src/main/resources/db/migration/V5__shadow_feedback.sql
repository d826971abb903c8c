-- Shadow comparisons (the gateway's shadow sampling of quality-routed requests) are judgements too:
-- one per request and source, so a user's feedback and a shadow comparison of the same request
-- are both kept.
alter table routing_feedback add column source text not null default 'feedback';
alter table routing_feedback drop constraint routing_feedback_pkey;
alter table routing_feedback add primary key (request_id, source);
