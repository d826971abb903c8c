-- What others must consider a lease holding: max(its last grant, what the instance could still
-- admit on its previous grant while that answer was in flight), kept until the instance's next
-- claim acknowledges a shrink (docs/quota.md, Exactness). allowance stays the last grant, from
-- which the next claim recomputes what the instance may still admit.
alter table lease add column held bigint;
update lease set held = allowance;
alter table lease alter column held set not null;
alter table lease add constraint lease_held_covers_allowance check (held >= allowance);
