// Search against the machine's PostgreSQL (15): the DATABASE_URL target.
import { defineSearchSuite } from './search.test-suite.js';

defineSearchSuite('local');
