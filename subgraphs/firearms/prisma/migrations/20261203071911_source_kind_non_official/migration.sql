-- A third kind of source (issue 10): NON_OFFICIAL, a published figure whose original publisher is
-- not (known to be) an official body. Adding an enum value inside the migration's transaction is
-- allowed since PostgreSQL 12 (the value is not used in the same transaction).

-- AlterEnum
ALTER TYPE "SourceKind" ADD VALUE 'NON_OFFICIAL';
