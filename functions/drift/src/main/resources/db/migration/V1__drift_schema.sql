-- The drift function's tables (schema drift). Vectors are pgvector columns whose dimension is the
-- embedding model's (${dimensions}, from drift.dimensions); changing the model means a new
-- migration. The extension itself lives in public (bin/lib/postgres.sh creates it as superuser;
-- this is a no-op then).
create extension if not exists vector schema public;

-- A tenant the drift function serves, with what it keeps and how its windows are cut. Features are
-- free-form names under a tenant.
create table tenant (
  name text primary key,
  keep_text boolean not null default false,
  window_seconds integer not null check (window_seconds between 60 and 2678400),
  reservoir_size integer not null check (reservoir_size between 10 and 100000),
  min_samples integer not null check (min_samples >= 2),
  version bigint not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

-- One (tenant, feature) time window: how many samples were offered to its reservoir (seen) and the
-- word-piece totals of the texts among them (for fragmentation).
create table sample_window (
  tenant text not null references tenant (name) on delete cascade,
  feature text not null,
  window_start timestamptz not null,
  window_end timestamptz not null,
  seen bigint not null default 0,
  texts bigint not null default 0,
  words bigint not null default 0,
  pieces bigint not null default 0,
  unknown_pieces bigint not null default 0,
  primary key (tenant, feature, window_start)
);

-- The window's reservoir: at most reservoir_size samples, a uniform sample of all offered ones.
create table sample (
  tenant text not null,
  feature text not null,
  window_start timestamptz not null,
  slot integer not null,
  embedding public.vector(${dimensions}) not null,
  text text,
  received_at timestamptz not null default now(),
  primary key (tenant, feature, window_start, slot),
  foreign key (tenant, feature, window_start) references sample_window on delete cascade
);

-- Term counts of every text offered in the window (not only the reservoir's).
create table window_term (
  tenant text not null,
  feature text not null,
  window_start timestamptz not null,
  term text not null,
  count bigint not null,
  primary key (tenant, feature, window_start, term),
  foreign key (tenant, feature, window_start) references sample_window on delete cascade
);

-- The reference a feature's windows are scored against: a pinned window (copied, so retention of
-- windows cannot change it) or an uploaded set.
create table reference (
  tenant text not null references tenant (name) on delete cascade,
  feature text not null,
  kind text not null check (kind in ('window', 'uploaded')),
  pinned_window timestamptz,
  texts bigint not null default 0,
  words bigint not null default 0,
  pieces bigint not null default 0,
  unknown_pieces bigint not null default 0,
  created_at timestamptz not null default now(),
  primary key (tenant, feature)
);

create table reference_sample (
  tenant text not null,
  feature text not null,
  id bigserial,
  embedding public.vector(${dimensions}) not null,
  text text,
  primary key (tenant, feature, id),
  foreign key (tenant, feature) references reference on delete cascade
);

create table reference_term (
  tenant text not null,
  feature text not null,
  term text not null,
  count bigint not null,
  primary key (tenant, feature, term),
  foreign key (tenant, feature) references reference on delete cascade
);

-- A sample of the documents the feature's search runs over, for retrieval coverage.
create table corpus_document (
  tenant text not null references tenant (name) on delete cascade,
  feature text not null,
  id bigserial,
  embedding public.vector(${dimensions}) not null,
  text text,
  primary key (tenant, feature, id)
);
create index corpus_document_embedding on corpus_document
  using hnsw (embedding public.vector_cosine_ops);

create table report (
  id bigserial primary key,
  tenant text not null references tenant (name) on delete cascade,
  feature text not null,
  window_start timestamptz not null,
  verdict text not null,
  created_at timestamptz not null default now(),
  body jsonb not null
);
create index report_by_feature on report (tenant, feature, created_at desc);

-- CloudEvents already consumed (idempotency by event id); swept after a day.
create table consumed_event (
  id text primary key,
  consumed_at timestamptz not null default now()
);
