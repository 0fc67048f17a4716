// Search against Parley's own embedded PostgreSQL (18): the no-DATABASE_URL target.
import { defineSearchSuite } from './search.test-suite.js';

defineSearchSuite('embedded');
