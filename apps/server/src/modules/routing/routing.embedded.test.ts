// Routing's rules against Parley's own embedded PostgreSQL.
import { defineRoutingSuite } from './routing.test-suite.js';

defineRoutingSuite('embedded');
