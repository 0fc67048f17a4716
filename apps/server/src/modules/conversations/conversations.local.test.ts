// The message path against the machine's PostgreSQL (or TEST_DATABASE_URL): the DATABASE_URL target.
import { defineConversationSuite } from './conversations.test-suite.js';

defineConversationSuite('local');
