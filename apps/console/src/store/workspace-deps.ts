/**
 * What the workspace's parts share: the one store they all change, the two
 * ways to the server (HTTP and the socket), and where news an operator
 * should hear about goes.
 */
import type { ConversationDTO } from '@parley/protocol';
import type { HttpClient } from '../api/http-client';
import type { OperatorSocket } from '../api/socket-client';
import type { InboxState } from './inbox-state';
import type { Store } from './store';

/** Something an operator should hear about. */
export interface Arrival {
  kind: 'conversation' | 'message';
  conversation: ConversationDTO;
  text: string | null;
}

export interface WorkspaceDeps {
  readonly store: Store<InboxState>;
  readonly http: HttpClient;
  readonly socket: OperatorSocket;
  onArrival(arrival: Arrival): void;
}
