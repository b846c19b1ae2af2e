import 'reflect-metadata';
import { createDataSource } from '../src/db/data-source';
import { createTestDatabase } from './support/test-database';

test('the migrations create exactly the schema the entities describe (no drift)', async () => {
  const database = await createTestDatabase();
  const dataSource = createDataSource(database.url);
  await dataSource.initialize();
  try {
    expect(await dataSource.showMigrations()).toBe(false);
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  } finally {
    await dataSource.destroy();
    await database.drop();
  }
});

test('every migration can be reverted and applied again', async () => {
  const database = await createTestDatabase();
  const dataSource = createDataSource(database.url);
  await dataSource.initialize();
  try {
    await dataSource.query('TRUNCATE topic, actor, location, source, fixture_load CASCADE');
    for (let i = 0; i < dataSource.migrations.length; i++) await dataSource.undoLastMigration({ transaction: 'each' });
    const tables = await dataSource.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'migrations'`);
    expect(tables[0].n).toBe(0);
    await dataSource.runMigrations({ transaction: 'each' });
    expect(await dataSource.showMigrations()).toBe(false);
  } finally {
    await dataSource.destroy();
    await database.drop();
  }
});
