// `npm run setup`: builds the local stack's tools (run first by `npm start` and `npm test`).
import { ensureTools } from './tools';

ensureTools({ forTests: process.argv.includes('--for-tests'), cluster: process.argv.includes('--cluster') }).catch((err: Error) => {
  console.error(`[setup] ${err.message}`);
  process.exit(1);
});
