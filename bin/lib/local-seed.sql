-- The local stack's development tenant (bin/spillway up), so that the README's key works with quota
-- on: tenant `local`, feature `playground`, the key sk-spillway-local-dev (stored as its SHA-256,
-- like every key), interactive, with budgets generous enough never to get in the way of a demo
-- but visible in the x-ratelimit-* headers. Idempotent: run at every `up`.
set search_path = quota;
insert into tenant (name) values ('local') on conflict (name) do nothing;
insert into feature (tenant_id, name)
  select id, 'playground' from tenant where name = 'local'
  on conflict (tenant_id, name) do nothing;
insert into api_key (tenant_id, feature_id, key_hash, prefix, tier)
  select t.id, f.id, '66f503c841e8254e777bc771bc6b9a2feefd8b268770c7d7de29d769f8193798',
         'sk-spillway-', 'interactive'
  from tenant t join feature f on f.tenant_id = t.id and f.name = 'playground'
  where t.name = 'local'
  on conflict (key_hash) do nothing;
insert into budget (resource, tenant_id, dimension, limit_value)
  select 'tenant/local/tokens-per-minute', id, 'tokens-per-minute', 1000000 from tenant where name = 'local'
  on conflict (resource) do nothing;
insert into budget (resource, tenant_id, dimension, limit_value)
  select 'tenant/local/requests-per-minute', id, 'requests-per-minute', 6000 from tenant where name = 'local'
  on conflict (resource) do nothing;
