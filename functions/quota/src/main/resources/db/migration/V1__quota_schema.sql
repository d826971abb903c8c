-- The quota function's schema: tenants, features, keys (hashed), provider accounts, budgets,
-- budget windows with their leases, and the usage ledger.

create table tenant (
    id          bigserial primary key,
    name        text        not null unique check (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    parent_id   bigint      references tenant (id),
    weight      integer     not null default 1 check (weight between 1 and 1000),
    version     bigint      not null default 1,
    created_at  timestamptz not null default now(),
    check (parent_id is null or parent_id <> id)
);

create table feature (
    id          bigserial primary key,
    tenant_id   bigint      not null references tenant (id) on delete cascade,
    name        text        not null check (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    created_at  timestamptz not null default now(),
    unique (tenant_id, name)
);

create table api_key (
    id          uuid        primary key default gen_random_uuid(),
    tenant_id   bigint      not null references tenant (id) on delete cascade,
    feature_id  bigint      not null references feature (id) on delete cascade,
    -- Only the SHA-256 of the key is stored; the plain key is shown once, at creation.
    key_hash    char(64)    not null unique,
    prefix      text        not null,
    tier        text        not null check (tier in ('interactive', 'standard', 'batch')),
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz
);
create index api_key_tenant on api_key (tenant_id);

create table provider_account (
    id          bigserial primary key,
    name        text        not null unique check (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    created_at  timestamptz not null default now()
);

-- One row per budget, keyed by its ResourceId wire form, which is what the lease path receives.
create table budget (
    resource    text        primary key,
    tenant_id   bigint      references tenant (id) on delete cascade,
    feature_id  bigint      references feature (id) on delete cascade,
    account_id  bigint      references provider_account (id) on delete cascade,
    dimension   text        not null,
    limit_value bigint      not null check (limit_value > 0),
    version     bigint      not null default 1,
    updated_at  timestamptz not null default now(),
    check ((tenant_id is not null) <> (account_id is not null))
);
create index budget_tenant on budget (tenant_id);

-- Use per budget and window (window_start 0 for concurrent-requests, which has no window). The
-- row is the lock that serialises every lease decision in its window.
create table budget_window (
    resource        text   not null references budget (resource) on delete cascade,
    window_start    bigint not null,
    window_end      bigint not null,
    used            bigint not null default 0,
    -- The part of used by tiers that may not touch an account's interactive reserve.
    restricted_used bigint not null default 0,
    primary key (resource, window_start)
);
create index budget_window_end on budget_window (window_end);

create table lease (
    resource      text        not null,
    window_start  bigint      not null,
    instance      text        not null,
    client        text        not null,
    -- '' for tenant budgets; an instance holds one lease per client and tier.
    tier          text        not null default '',
    weight        integer     not null default 1,
    allowance     bigint      not null,
    want          bigint      not null,
    -- concurrent-requests: the requests this lease has in flight, returned when it expires.
    in_flight     bigint      not null default 0,
    expires_at    timestamptz not null,
    primary key (resource, window_start, instance, client, tier),
    foreign key (resource, window_start) references budget_window (resource, window_start)
        on delete cascade
);
create index lease_expires on lease (expires_at);

-- One row per usage event, keyed by the CloudEvent id: delivering it twice counts it once.
create table usage_event (
    event_id          text          primary key,
    tenant            text          not null,
    feature           text,
    route             text,
    provider          text,
    model             text,
    prompt_tokens     integer       not null,
    completion_tokens integer       not null,
    cost_usd          numeric(20, 10) not null default 0,
    outcome           text,
    occurred_at       timestamptz   not null,
    day               date          not null,
    received_at       timestamptz   not null default now()
);
create index usage_event_tenant_day on usage_event (tenant, day);
create index usage_event_feature_recent on usage_event (tenant, feature, occurred_at desc);
