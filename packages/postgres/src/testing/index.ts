export { useTestDatabase, testTableName } from './testDatabase.js';
export type { TestDatabase, TestDatabaseOptions } from './testDatabase.js';
export { startPostgresServer } from './postgresServer.js';
export type { PostgresServerHandle } from './postgresServer.js';
export { seedAuditEvents } from './seedAuditEvents.js';
export type { SeedAuditEventsOptions } from './seedAuditEvents.js';
export { postgresExportSink } from './exportBenchSink.js';
