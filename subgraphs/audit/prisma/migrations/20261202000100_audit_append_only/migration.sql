-- The audit trail is append-only in the database itself, not only in the code that writes it: any
-- UPDATE, DELETE or TRUNCATE of "AuditEvent", from this subgraph or from anyone else connected to
-- the database, fails and changes nothing. Statement-level triggers, so that even a statement that
-- matches no row is refused (and says so), and so that INSERT … ON CONFLICT DO NOTHING (how the
-- subgraph stores a re-sent batch) is untouched. Prisma does not model triggers: the migration
-- drift check ignores them, and src/__tests__/ingest.test.ts checks they are in force.
-- The role that owns the table (the one migrations run as) could still drop the trigger: that is
-- deliberate DDL, which nothing the subgraph runs at request time does.
CREATE FUNCTION "audit_event_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit trail is append-only: % on "AuditEvent" is refused', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'audit events are never changed or deleted';
END;
$$;

CREATE TRIGGER "AuditEvent_append_only"
  BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_append_only"();

CREATE TRIGGER "AuditEvent_no_truncate"
  BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_append_only"();
