// The message path against Parley's own embedded PostgreSQL: the no-DATABASE_URL target.
import { defineConversationSuite } from './conversations.suite.js';

defineConversationSuite('embedded');
