export { PostgresAuditLog } from './audit/PostgresAuditLog.js';
export type { PostgresAuditLogOptions } from './audit/PostgresAuditLog.js';
export { AUDIT_SCHEMA_VERSION, migrateAuditSchema } from './audit/schema.js';
export type { AuditTableOptions, MigrateAuditSchemaOptions } from './audit/schema.js';
export type { RetentionReport } from './audit/enforceRetention.js';
export type { Queryable } from './audit/Queryable.js';
