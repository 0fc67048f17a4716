// Routing's rules against the machine's PostgreSQL (or TEST_DATABASE_URL).
import { defineRoutingSuite } from './routing.test-suite.js';

defineRoutingSuite('local');
