// The TypeORM CLI's data source: the same options the service uses, on DATABASE_URL or the embedded server's address.
import { createDataSource, databaseTimeouts } from './src/db/data-source';
import { databaseUrl } from './src/db/database-url';
import { loadConfig } from './src/config';

const config = loadConfig();
export default createDataSource(databaseUrl(config), databaseTimeouts(config));
