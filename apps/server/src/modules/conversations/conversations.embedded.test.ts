// The message path against Parley's own embedded PostgreSQL: the no-DATABASE_URL target.
import { defineConversationSuite } from './conversations.test-suite.js';

defineConversationSuite('embedded');
